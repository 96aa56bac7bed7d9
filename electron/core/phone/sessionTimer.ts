import { systemScheduler, type Scheduler, type TimerHandle } from '../adapters/scheduler';

/**
 * SIP session timers (RFC 4028), which sip.js 0.21 does not implement: header parsing, the
 * negotiation rules of both roles, and one timer per dialog that either refreshes the session
 * (we are the refresher: re-INVITE at half the interval) or ends it when the other side's refresh
 * does not come (expiry at SE - min(32, SE/3), section 10).
 */

/** Our session-timer configuration. */
export interface SessionTimerConfig {
  /** Session-Expires we ask for (s, RFC 4028 recommends 1800). */
  expiresSeconds: number;
  /** Smallest interval we accept (s; RFC 4028 Min-SE, never below 90 on a real network). */
  minSeconds: number;
}

/** The RFC 4028 defaults. */
export const DEFAULT_SESSION_TIMER: SessionTimerConfig = { expiresSeconds: 1800, minSeconds: 90 };

/** Who refreshes: the UAC or the UAS of the INVITE that set up (or last refreshed) the session. */
export type Refresher = 'uac' | 'uas';

/** A parsed Session-Expires header. */
export interface SessionExpires {
  seconds: number;
  refresher?: Refresher;
}

/** Parses `Session-Expires: 1800;refresher=uac` (also the compact `x:` form's value); null when absent or bad. */
export function parseSessionExpires(value: string | undefined): SessionExpires | null {
  if (!value) return null;
  const m = /^\s*(\d{1,10})\s*(;.*)?$/.exec(value);
  if (!m) return null;
  const seconds = Number(m[1]);
  if (!Number.isSafeInteger(seconds) || seconds <= 0) return null;
  const r = /;\s*refresher\s*=\s*(uac|uas)\b/i.exec(m[2] ?? '');
  return r ? { seconds, refresher: r[1]!.toLowerCase() as Refresher } : { seconds };
}

/** Parses a Min-SE header value (seconds); null when absent or bad. */
export function parseMinSe(value: string | undefined): number | null {
  const m = value ? /^\s*(\d{1,10})/.exec(value) : null;
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** True when a Supported or Require header value lists the `timer` option tag. */
export function listsTimer(values: string[]): boolean {
  return values.some((v) => v.split(',').some((t) => t.trim().toLowerCase() === 'timer'));
}

/** Headers of an INVITE that offers session timers (we are the UAC). */
export function offerHeaders(config: SessionTimerConfig, seconds = config.expiresSeconds): string[] {
  return ['Supported: timer', `Session-Expires: ${seconds}`, `Min-SE: ${config.minSeconds}`];
}

/** How an incoming INVITE (we are the UAS) is answered with respect to session timers. */
export type UasDecision =
  | { kind: 'reject'; minSe: number }
  | { kind: 'none' }
  | { kind: 'timer'; seconds: number; weRefresh: boolean; headers: string[] };

/**
 * RFC 4028 section 9: an interval below our Min-SE is refused with 422 and our Min-SE; a request
 * with Session-Expires gets it back in the 2xx with the refresher the UAC chose (or the UAC when it
 * supports timers, else us); a UAC that supports timers without asking for them gets our interval
 * with us as refresher; a UAC that knows nothing of timers gets none.
 */
export function decideAsUas(request: { sessionExpires: string | undefined; supported: string[] }, config: SessionTimerConfig): UasDecision {
  const se = parseSessionExpires(request.sessionExpires);
  const uacSupports = listsTimer(request.supported);
  if (se && se.seconds < config.minSeconds) return { kind: 'reject', minSe: config.minSeconds };
  if (!se && !uacSupports) return { kind: 'none' };
  const seconds = se ? se.seconds : config.expiresSeconds;
  const refresher: Refresher = se?.refresher ?? (se && uacSupports ? 'uac' : 'uas');
  const headers = [`Session-Expires: ${seconds};refresher=${refresher}`];
  if (uacSupports) headers.push('Require: timer');
  return { kind: 'timer', seconds, weRefresh: refresher === 'uas', headers };
}

/**
 * RFC 4028 section 7.2: what the 2xx to our INVITE (we are the UAC) says. Without Session-Expires
 * there is no session timer; without a refresher parameter the UAC (us) refreshes.
 */
export function decideAsUac(response: { sessionExpires: string | undefined }): { seconds: number; weRefresh: boolean } | null {
  const se = parseSessionExpires(response.sessionExpires);
  if (!se) return null;
  return { seconds: se.seconds, weRefresh: (se.refresher ?? 'uac') === 'uac' };
}

/** What a running session timer needs from the phone. */
export interface SessionTimerHooks {
  /** Sends a refresh (re-INVITE with `headers`); resolves with 0 on success, else the status code and the Min-SE of a 422. */
  refresh(headers: string[]): Promise<{ code: number; minSe?: number | null; sessionExpires?: string }>;
  /** The session expired without a refresh: end the call (BYE) as `session-expired`. */
  expired(): void;
  log(msg: string, fields: Record<string, unknown>): void;
}

/** The running timer of one dialog. */
export class SessionTimer {
  private timer: TimerHandle | null = null;
  private stopped = false;
  /** When the session expires unless refreshed (ms since the epoch). */
  private expiresAt = 0;

  constructor(
    private seconds: number,
    private weRefresh: boolean,
    private readonly config: SessionTimerConfig,
    private readonly hooks: SessionTimerHooks,
    private readonly scheduler: Scheduler = systemScheduler,
  ) {
    this.arm();
  }

  /** The negotiated interval (s) and who refreshes (diagnostics, tests). */
  get state(): { seconds: number; weRefresh: boolean } {
    return { seconds: this.seconds, weRefresh: this.weRefresh };
  }

  /** The other side refreshed (an in-dialog re-INVITE or UPDATE arrived): restart the interval. */
  refreshedByPeer(sessionExpires: string | undefined): void {
    const se = parseSessionExpires(sessionExpires);
    if (se) {
      this.seconds = se.seconds;
      // In the peer's refresh the peer is the UAC: refresher=uac means the peer keeps refreshing.
      this.weRefresh = se.refresher === 'uas';
    }
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  /** (Re)starts the interval: the session now runs for `seconds` from now. */
  private arm(): void {
    if (this.stopped) return;
    this.expiresAt = Date.now() + this.seconds * 1000;
    const ms = this.weRefresh ? (this.seconds * 1000) / 2 : (this.seconds - Math.min(32, this.seconds / 3)) * 1000;
    this.schedule(ms, () => {
      if (this.weRefresh) void this.doRefresh();
      else this.end('session timer expired: no refresh from the other side', { seconds: this.seconds });
    });
  }

  private schedule(ms: number, fn: () => void): void {
    if (this.stopped) return;
    if (this.timer) this.scheduler.clearTimeout(this.timer);
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = null;
      fn();
    }, ms);
  }

  /**
   * One refresh (re-INVITE) and its outcome. A 422 is retried with the peer's Min-SE. A refresh that
   * gets no answer before the session would expire, or 408/481 (the dialog is gone, RFC 3261 12.2.1.2),
   * ends the call as "session expired" (BYE best effort); another failure (491 glare, 500...) is
   * retried while the session still runs, and ends it once it has expired.
   */
  private async doRefresh(): Promise<void> {
    let seconds = this.seconds;
    for (let attempt = 0; attempt < 2 && !this.stopped; attempt++) {
      const r = await this.refreshOnce(seconds);
      if (this.stopped) return;
      if (r.code === 0) {
        const se = parseSessionExpires(r.sessionExpires);
        if (se) {
          this.seconds = se.seconds;
          this.weRefresh = (se.refresher ?? 'uac') === 'uac';
        }
        this.arm();
        return;
      }
      if (r.code === 422 && r.minSe && r.minSe > seconds) {
        seconds = r.minSe;
        this.seconds = seconds;
        continue;
      }
      if (r.code === 408 || r.code === 481 || r.code === NO_ANSWER) {
        this.end('session refresh failed: the session is gone', { code: r.code === NO_ANSWER ? 'no answer' : r.code });
        return;
      }
      this.hooks.log('session refresh failed', { code: r.code });
      break;
    }
    if (this.stopped) return;
    // Refused for a passing reason: try again halfway to the expiry, or end once the session has expired.
    const left = this.expiresAt - Date.now();
    if (left <= 1000) {
      this.end('session expired: no successful refresh', { seconds: this.seconds });
      return;
    }
    this.schedule(left / 2, () => void this.doRefresh());
  }

  /** Sends one refresh; NO_ANSWER when none came before the session would expire. */
  private refreshOnce(seconds: number): Promise<RefreshResult> {
    const left = Math.max(1000, this.expiresAt - Date.now());
    return new Promise<RefreshResult>((resolve) => {
      const timer = this.scheduler.setTimeout(() => resolve({ code: NO_ANSWER }), left);
      this.hooks
        .refresh([`Session-Expires: ${seconds};refresher=uac`, `Min-SE: ${this.config.minSeconds}`, 'Supported: timer'])
        .catch(() => ({ code: 500 }) as RefreshResult)
        .then((r) => {
          this.scheduler.clearTimeout(timer);
          resolve(r);
        });
    });
  }

  private end(msg: string, fields: Record<string, unknown>): void {
    this.hooks.log(msg, fields);
    this.stop();
    this.hooks.expired();
  }
}

type RefreshResult = { code: number; minSe?: number | null; sessionExpires?: string };
/** refreshOnce's code when the refresh got no final answer in time. */
const NO_ANSWER = -1;
