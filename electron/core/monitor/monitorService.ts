import { Invitation, Inviter, SessionState, UserAgent, type Session } from 'sip.js';
import { AppError } from '../../../shared/api/result';
import type { MonitorSession, MonitorState } from '../../../shared/monitor/api';
import {
  MONITOR_MODE_CONTENT_TYPE,
  MONITOR_MODE_HEADER,
  MONITOR_TOKEN_HEADER,
  checkMonitorClaims,
  monitorModeSchema,
  type MonitorMode,
} from '../../../shared/monitor/token';
import type { Clock } from '../adapters';
import type { Logger } from '../log/logger';
import { monitorKeyFromBase64, verifyMonitorToken } from './tokenVerifier';

/** What the monitoring service needs from the core. */
export interface MonitorServiceDeps {
  /** The phone's running user agent (null without a SIP account). */
  ua(): UserAgent | null;
  /** Whether this desktop has this call established (active or held). */
  hasLiveCall(callId: string): boolean;
  /** This desktop's agent id (as the server names the agent in tokens). */
  agentId(): string;
  /** The server's monitoring public key (`monitoring.serverKey`). */
  serverKey(): string;
  /** Policy `monitoring.showIndicator`. */
  showIndicator(): boolean;
  /** Our own SIP URI (`sip.uri`): its domain completes a bare extension. */
  ownUri(): string;
  clock: Clock;
  logger: Logger;
  /** Publishes the snapshot (`monitor:state`). */
  emit(state: MonitorState): void;
}

interface Entry {
  snap: MonitorSession;
  session: Session;
}

const SDH_OPTIONS = { sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } };

/**
 * Listen / whisper / barge without PBX feature codes (docs/monitoring.md). Both ends live here:
 * - supervisor side: `start()` places a SIP call to the agent's desktop carrying the server-signed
 *   token; `setMode()` switches the mode with an in-dialog INFO; `stop()` hangs up;
 * - agent side: `takeInvite()` (offered every INVITE by the phone) verifies the token, answers a
 *   good request by itself and refuses a forged, expired, replayed or out-of-scope one (403, logged).
 * The SIP leg's media is a normal media-engine session keyed by the session id; the agent's renderer
 * mixes it into the monitored call as `monitor:state` says (renderer/media/monitorMixer.ts).
 */
export class MonitorService {
  private readonly entries = new Map<string, Entry>();
  /** Token ids already used, with their expiry (s): a token opens one session only. */
  private readonly seenTokens = new Map<string, number>();

  constructor(private readonly deps: MonitorServiceDeps) {}

  /** The snapshot pushed on `monitor:state`. */
  state(): MonitorState {
    return { sessions: [...this.entries.values()].map((e) => e.snap) };
  }

  // ---------------------------------------------------------------- agent side

  /** Takes an INVITE that carries a monitoring token (true), or leaves it to the phone (false). */
  takeInvite(invitation: Invitation): boolean {
    const token = invitation.request.getHeader(MONITOR_TOKEN_HEADER);
    if (token === undefined) return false;
    const from = invitation.request.from.uri.toString();
    const key = monitorKeyFromBase64(this.deps.serverKey());
    const check = verifyMonitorToken(token, key);
    const now = this.deps.clock.now();
    this.forgetExpiredTokens(now);
    const refusal = check.ok
      ? checkMonitorClaims(check.claims, {
          now,
          agentId: this.deps.agentId(),
          hasLiveCall: (id) => this.deps.hasLiveCall(id),
          seen: (jti) => this.seenTokens.has(jti),
        })
      : check.reason;
    if (refusal) {
      this.deps.logger.warn('monitoring request refused', {
        reason: refusal,
        from,
        supervisor: check.claims?.sup,
        agent: check.claims?.agent,
        callId: check.claims?.call,
      });
      void invitation.reject({ statusCode: 403, reasonPhrase: 'Monitoring Refused', extraHeaders: [`Warning: 399 calldesk "monitoring refused: ${refusal}"`] }).catch(() => undefined);
      return true;
    }
    const claims = check.ok ? check.claims : null;
    if (!claims) return true;
    this.seenTokens.set(claims.jti, claims.exp);
    const mode = monitorModeSchema.safeParse(invitation.request.getHeader(MONITOR_MODE_HEADER)).data ?? 'listen';
    const entry = this.add(invitation, { role: 'agent', callId: claims.call, peer: claims.sup, mode, indicator: this.deps.showIndicator() });
    invitation.delegate = { onInfo: (info) => this.onModeInfo(entry, info) };
    this.deps.logger.info('monitoring accepted', { sessionId: entry.snap.id, supervisor: claims.sup, callId: claims.call, mode });
    invitation.accept(SDH_OPTIONS).catch((err: Error) => {
      this.deps.logger.warn('answering a monitoring leg failed', { sessionId: entry.snap.id, error: err.message });
    });
    return true;
  }

  /** The monitored call ended: its monitoring legs end with it. */
  callEnded(callId: string): void {
    for (const e of this.entries.values()) {
      if (e.snap.role === 'agent' && e.snap.callId === callId) this.hangUp(e, 'call-ended');
    }
  }

  private onModeInfo(entry: Entry, info: { request: { body?: string; getHeader(name: string): string | undefined }; accept(): Promise<void>; reject(o?: { statusCode?: number }): Promise<void> }): void {
    const type = (info.request.getHeader('content-type') ?? '').toLowerCase();
    const mode = monitorModeSchema.safeParse((info.request.body ?? '').trim()).data;
    if (!type.startsWith(MONITOR_MODE_CONTENT_TYPE) || !mode) {
      this.deps.logger.warn('monitoring INFO refused: not a mode change', { sessionId: entry.snap.id, contentType: type });
      void info.reject({ statusCode: 415 }).catch(() => undefined);
      return;
    }
    void info.accept().catch(() => undefined);
    this.deps.logger.info('monitoring mode changed', { sessionId: entry.snap.id, from: entry.snap.mode, to: mode });
    this.update(entry, { mode });
  }

  // ---------------------------------------------------------------- supervisor side

  /** Calls the agent's desktop with the server's token; resolves with the new session (connecting). */
  start(agent: string, token: string, mode: MonitorMode): MonitorSession {
    const ua = this.deps.ua();
    if (!ua) throw new AppError('UNAVAILABLE', 'No SIP account is configured');
    const uri = UserAgent.makeURI(this.targetUri(agent));
    if (!uri) throw new AppError('INVALID_PAYLOAD', `Not a SIP extension or URI: ${agent}`);
    const inviter = new Inviter(ua, uri, {
      extraHeaders: [`${MONITOR_TOKEN_HEADER}: ${token.replace(/[\r\n]/g, '')}`, `${MONITOR_MODE_HEADER}: ${mode}`],
      ...SDH_OPTIONS,
    });
    const entry = this.add(inviter, { role: 'supervisor', callId: claimedCall(token) ?? '', peer: uri.toString(), mode, indicator: false });
    this.deps.logger.info('monitoring started', { sessionId: entry.snap.id, agent: uri.toString(), mode });
    inviter
      .invite({
        requestDelegate: {
          onReject: (response) => {
            entry.snap = { ...entry.snap, endReason: String(response.message.statusCode) };
          },
        },
      })
      .catch((err: Error) => {
        this.deps.logger.warn('monitoring call failed', { sessionId: entry.snap.id, error: err.message });
        entry.snap = { ...entry.snap, endReason: err.message };
      });
    return entry.snap;
  }

  /** Switches an active session's mode (supervisor side): an INFO in the monitoring dialog. */
  async setMode(sessionId: string, mode: MonitorMode): Promise<MonitorSession> {
    const entry = this.supervised(sessionId);
    if (entry.session.state !== SessionState.Established) throw new AppError('CONFLICT', 'The monitoring session is not connected yet');
    await new Promise<void>((resolve, reject) => {
      void entry.session
        .info({
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (r) => reject(new AppError('CONFLICT', `The agent's desktop refused the mode change (${r.message.statusCode})`)),
          },
          requestOptions: { body: { contentDisposition: 'render', contentType: MONITOR_MODE_CONTENT_TYPE, content: mode } },
        })
        .catch(reject);
    });
    this.update(entry, { mode });
    return entry.snap;
  }

  /** Ends a session (supervisor side). */
  stop(sessionId: string): MonitorSession {
    const entry = this.supervised(sessionId);
    this.hangUp(entry, 'stopped');
    return entry.snap;
  }

  /** Ends every session (phone stopping, core closing). */
  stopAll(): void {
    for (const e of this.entries.values()) this.hangUp(e, 'stopped');
  }

  // ---------------------------------------------------------------- shared

  private add(session: Session, fields: Omit<MonitorSession, 'id' | 'state'>): Entry {
    const entry: Entry = { session, snap: { id: session.id, state: 'connecting', ...fields } };
    this.entries.set(entry.snap.id, entry);
    session.stateChange.addListener((s) => {
      if (s === SessionState.Established) this.update(entry, { state: 'active' });
      if (s === SessionState.Terminated) {
        // sip.js ends an Inviter before it calls the request delegate's onReject: report after it, with the code.
        queueMicrotask(() => {
          this.update(entry, { state: 'ended' });
          this.entries.delete(entry.snap.id);
          this.deps.logger.info('monitoring ended', { sessionId: entry.snap.id, role: entry.snap.role, reason: entry.snap.endReason });
        });
      }
    });
    this.emit();
    return entry;
  }

  private supervised(sessionId: string): Entry {
    const entry = this.entries.get(sessionId);
    if (!entry || entry.snap.role !== 'supervisor') throw new AppError('NOT_FOUND', `No monitoring session ${sessionId}`);
    return entry;
  }

  private hangUp(entry: Entry, reason: string): void {
    if (!entry.snap.endReason) entry.snap = { ...entry.snap, endReason: reason };
    const s = entry.session;
    const done = () => undefined;
    if (s.state === SessionState.Established) void s.bye().catch(done);
    else if (s instanceof Inviter && (s.state === SessionState.Initial || s.state === SessionState.Establishing)) void s.cancel().catch(done);
    else if (s instanceof Invitation && s.state === SessionState.Initial) void s.reject().catch(done);
  }

  private update(entry: Entry, change: Partial<MonitorSession>): void {
    entry.snap = { ...entry.snap, ...change };
    this.emit();
  }

  private emit(): void {
    this.deps.emit(this.state());
  }

  private forgetExpiredTokens(now: number): void {
    const nowS = Math.floor(now / 1000);
    for (const [jti, exp] of this.seenTokens) if (exp < nowS) this.seenTokens.delete(jti);
  }

  private targetUri(agent: string): string {
    if (/^sips?:/i.test(agent)) return agent;
    const domain = /@([^;>\s]+)/.exec(this.deps.ownUri())?.[1];
    if (!domain) throw new AppError('UNAVAILABLE', 'No SIP account is configured');
    return `sip:${agent}@${domain}`;
  }
}

/** The call id a token names (read, not trusted: the agent's desktop verifies it), for the snapshot. */
function claimedCall(token: string): string | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { call?: unknown };
    return typeof claims.call === 'string' ? claims.call : null;
  } catch {
    return null;
  }
}
