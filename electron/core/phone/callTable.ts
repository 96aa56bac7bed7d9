import { randomUUID } from 'node:crypto';
import { Invitation, Inviter, Registerer, SessionState, UserAgent, type Bye, type Info, type Referral, type Session, type SessionDescriptionHandlerOptions, type URI } from 'sip.js';
import { AppError, assertNever } from '../../../shared/api/result';
import type { CallDirection, CallEnd, CallSnapshot, PhoneState, Registration } from '../../../shared/phone/call';
import type { CallIdentity } from '../../../shared/phone-number/callerId';
import { transition, isLive, type CallState } from '../../../shared/phone/callState';
import { unansweredEnd } from '../../../shared/phone/endReason';
import type { CoreEvent } from '../bus/coreBus';
import type { Logger } from '../log/logger';
import { CallAnswered, CallEnded, CallHeld, CallResumed, CallTransferred, type CallEventBase } from './callEvents';
import { sleep, systemScheduler, type Scheduler, type TimerHandle } from '../adapters/scheduler';
import { MediaWatchdog } from './mediaWatchdog';
import { DtmfPlanner } from './dtmfPlan';
import { SessionTimer, parseMinSe } from './sessionTimer';
import { DEFAULT_TIMING, MAX_ENDED_KEPT, type PhoneTiming, type PhoneServiceOptions, type CallRecord, type ReinviteExtra } from './phoneTypes';

/**
 * The bottom layer of the phone (see phoneService.ts): the calls of one account, their records,
 * snapshots, timers, guards (media watchdog, session timer), re-INVITEs and lifecycle events, and
 * the `phone:state` listeners. The layers above add media, registration, inbound calls and call
 * control; {@link PhoneService} is the façade the core uses.
 */
export abstract class CallTable {
  /** Ends a live call from our side (call control). */
  protected abstract endSession(rec: CallRecord, by: 'local'): void;
  /** Handles an incoming REFER on a call (inbound calls). */
  protected abstract onRefer(rec: CallRecord, referral: Referral): void;
  /** Puts a call on hold (call control). */
  abstract hold(callId: string): Promise<CallSnapshot>;
  /** Our INVITE got 422: resends it with a larger interval when allowed (call control). */
  protected abstract resendAfterTooSmall(rec: CallRecord): boolean;
  /** The phone state snapshot (registration layer). */
  abstract state(): PhoneState;

  protected ua: UserAgent | null = null;
  protected registerer: Registerer | null = null;
  protected readonly calls = new Map<string, CallRecord>();
  protected readonly dtmfPlanner = new DtmfPlanner();
  protected readonly sessionIds = new WeakMap<Session, string>();
  protected readonly listeners = new Set<(state: PhoneState) => void>();
  protected readonly endListeners = new Set<(call: CallSnapshot) => void>();
  protected readonly timing: PhoneTiming;
  protected readonly log: Logger;
  protected readonly random: () => number;
  protected registration: Registration;
  protected stopped = true;
  protected uaStarted = false;
  protected readonly scheduler: Scheduler;
  protected reconnectTimer: TimerHandle | null = null;
  protected keepAliveTimer: (() => void) | null = null;
  protected probeTimer: TimerHandle | null = null;
  protected registerTimer: TimerHandle | null = null;
  protected refreshTimer: TimerHandle | null = null;
  /** A REGISTER is out and unanswered (initial, refresh or forced). */
  protected registerPending = false;
  protected connecting = false;
  protected lostTransport = false;
  protected unsubscribeNetwork: (() => void) | null = null;
  protected readonly aor: URI;

  constructor(protected readonly options: PhoneServiceOptions) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.log = options.logger;
    this.random = options.random ?? Math.random;
    this.scheduler = options.scheduler ?? systemScheduler;
    const aor = UserAgent.makeURI(options.account.uri);
    if (!aor) throw new AppError('CONFIG_INVALID', `sip.uri "${options.account.uri}" is not a SIP URI`);
    if (!/^wss?:\/\//i.test(options.account.server)) {
      throw new AppError('CONFIG_INVALID', `sip.server "${options.account.server}" is not a ws:// or wss:// URL`);
    }
    this.aor = aor;
    this.registration = { state: 'unregistered', aor: options.account.uri, since: options.clock.now(), attempt: 0 };
  }


  // ---------------------------------------------------------------- helpers

  protected requireMedia(): void {
    if (this.options.mediaReady && !this.options.mediaReady()) {
      throw new AppError('UNAVAILABLE', 'The media engine is not connected (is the CallDesk window open?)');
    }
  }

  protected requireRegistered(): UserAgent {
    if (!this.ua || this.registration.state !== 'registered') {
      throw new AppError('UNAVAILABLE', `The phone is not registered (${this.registration.state})`);
    }
    return this.ua;
  }

  protected get(callId: string): CallRecord {
    const rec = this.calls.get(callId);
    if (!rec) throw new AppError('NOT_FOUND', `No call ${callId}`);
    return rec;
  }

  protected async holdOthers(except: CallRecord): Promise<void> {
    for (const other of this.calls.values()) {
      if (other !== except && other.state === 'active') await this.hold(other.id);
    }
  }

  protected async reinvite(rec: CallRecord, hold: boolean, extra: ReinviteExtra = {}): Promise<void> {
    if (!rec.acked) {
      await new Promise<void>((resolve) => {
        rec.ackWaiters.push(resolve);
        this.scheduler.setTimeout(resolve, 5000);
      });
    }
    // 491 (glare) and 500 (the peer still processing its ACK, RFC 5407 3.1.5) are transient: retry.
    const retryDelays = [300, 1000, 2500];
    for (let attempt = 0; ; attempt++) {
      const code = await this.sendReinvite(rec, hold, extra);
      if (code === 0) return;
      const wait = retryDelays[attempt];
      if ((code !== 491 && code !== 500) || wait === undefined || rec.session.state !== SessionState.Established) {
        this.log.warn('re-INVITE failed: media left as it was', { callId: rec.id, code, hold });
        throw new AppError('CONFLICT', `re-INVITE refused: ${code}`);
      }
      this.log.info('re-INVITE refused, retrying', { callId: rec.id, code, waitMs: wait });
      await sleep(this.scheduler, wait);
    }
  }

  /** One re-INVITE; resolves 0 on success or the failure status code. */
  protected sendReinvite(rec: CallRecord, hold: boolean, extra: ReinviteExtra = {}): Promise<number> {
    rec.session.sessionDescriptionHandlerOptionsReInvite = { hold } as SessionDescriptionHandlerOptions;
    const opts = (extra.iceRestart ? { hold, offerOptions: { iceRestart: true } } : { hold }) as unknown as SessionDescriptionHandlerOptions;
    return new Promise<number>((resolve, reject) => {
      rec.session
        .invite({
          sessionDescriptionHandlerOptions: opts,
          ...(extra.headers ? { requestOptions: { extraHeaders: extra.headers } } : {}),
          ...(extra.withoutSdp ? { withoutSdp: true } : {}),
          requestDelegate: {
            onAccept: (response) => {
              extra.onResponse?.(response.message);
              resolve(0);
            },
            onReject: (response) => {
              extra.onResponse?.(response.message);
              resolve(response.message.statusCode ?? 500);
            },
          },
        })
        .catch((err: Error) => reject(new AppError('CONFLICT', `re-INVITE not possible now: ${err.message}`)));
    });
  }

  /** Starts the media watchdog and the session timer of a call that just got established. */
  protected startGuards(rec: CallRecord): void {
    rec.watchdog = new MediaWatchdog(
      { timeoutMs: () => (this.options.behaviour().mediaTimeoutSeconds ?? 30) * 1000, now: () => this.options.clock.now(), scheduler: this.scheduler },
      {
        onHealth: (health) => {
          if (health.state === 'silent') this.log.warn('no media from the other side', { callId: rec.id, lastMediaAt: health.lastMediaAt, endsAt: health.endsAt });
          else this.log.info('media health', { callId: rec.id, state: health.state });
          this.emit();
        },
        onBroken: () => {
          if (rec.state !== 'active') return;
          this.log.warn('media broken (ICE failed/disconnected, nothing received): ICE restart', { callId: rec.id });
          this.reinvite(rec, false, { iceRestart: true }).catch((err: Error) => this.log.warn('ICE restart failed', { callId: rec.id, error: err.message }));
        },
        onTimeout: (lastMediaAt) => this.endDead(rec, { reason: 'media-timeout' }, lastMediaAt),
      },
    );
    this.pauseWatchdog(rec);
    const plan = rec.timerPlan;
    if (!plan) return;
    this.log.info('session timer', { callId: rec.id, seconds: plan.seconds, weRefresh: plan.weRefresh });
    rec.sessionTimer = new SessionTimer(plan.seconds, plan.weRefresh, this.timing.sessionTimer, {
      refresh: async (headers) => {
        let minSe: number | null = null;
        let sessionExpires: string | undefined;
        const code = await this.sendReinvite(rec, rec.state === 'held', {
          headers,
          onResponse: (m) => {
            minSe = parseMinSe(m.getHeader('min-se'));
            sessionExpires = m.getHeader('session-expires');
          },
        });
        return { code, minSe, ...(sessionExpires !== undefined ? { sessionExpires } : {}) };
      },
      expired: () => this.endDead(rec, { reason: 'session-expired' }),
      log: (msg, fields) => this.log.info(msg, { callId: rec.id, ...fields }),
    }, this.scheduler);
  }

  protected stopGuards(rec: CallRecord): void {
    rec.watchdog?.dispose();
    rec.sessionTimer?.stop();
    delete rec.sessionTimer;
  }

  protected pauseWatchdog(rec: CallRecord): void {
    rec.watchdog?.setPaused(rec.state === 'held' || rec.remoteHold);
  }

  /** Ends a call whose other side is gone (media timeout, expired session): BYE, with the real end time. */
  protected endDead(rec: CallRecord, end: CallEnd, endedAt?: number): void {
    if (!isLive(rec.state)) return;
    this.log.warn('ending a dead call', { callId: rec.id, reason: end.reason, lastMediaAt: endedAt });
    rec.endAs = end;
    if (endedAt !== undefined) rec.endedAt = endedAt;
    this.endSession(rec, 'local');
  }

  protected addCall(session: Session, direction: CallDirection, identity: CallIdentity): CallRecord {
    const id = randomUUID();
    const rec: CallRecord = {
      id,
      session,
      direction,
      remote: identity.remote,
      caller: identity.caller,
      state: direction === 'inbound' ? 'ringing' : 'dialing',
      muted: false,
      remoteHold: false,
      waiting: false,
      times: { created: this.options.clock.now(), holds: [] },
      headers: {},
      dtmfReceived: '',
      sipCallId: session instanceof Invitation ? session.request.callId : (session as Inviter).request.callId,
      timers: new Set(),
      acked: direction === 'outbound',
      ackWaiters: [],
      announced: new Set(),
    };
    this.sessionIds.set(session, id);
    this.calls.set(id, rec);
    this.watchSession(rec, session);
    this.pruneEnded();
    return rec;
  }

  protected watchSession(rec: CallRecord, session: Session): void {
    session.stateChange.addListener((s) => {
      switch (s) {
        case SessionState.Established:
          if (rec.state === 'dialing' || rec.state === 'ringing' || rec.state === 'answering') {
            rec.times.answered = this.options.clock.now();
            this.clearTimers(rec);
            this.move(rec, 'active');
            this.startGuards(rec);
            this.log.info('call established', { callId: rec.id });
            this.announce(CallAnswered, rec);
            this.emit();
          }
          break;
        case SessionState.Terminated:
          // sip.js reports Terminated before the request delegate sees the final response: let
          // onReject record the status code first.
          setImmediate(() => {
            if (rec.session === session && !this.resendAfterTooSmall(rec)) this.finalize(rec);
          });
          break;
        case SessionState.Initial:
        case SessionState.Establishing:
        case SessionState.Terminating:
          break;
        default:
          assertNever(s, 'session state');
      }
    });
  }

  protected sessionDelegate(rec: CallRecord) {
    return {
      onBye: (bye: Bye) => {
        rec.hangupBy ??= 'remote';
        // With a delegate, sip.js leaves the 200 OK to us.
        void bye.accept().catch((err: Error) => this.log.warn('answering BYE failed', { callId: rec.id, error: err.message }));
      },
      onInfo: (info: Info) => {
        const body = info.request.body ?? '';
        const m = /Signal\s*=\s*([0-9A-Da-d*#])/.exec(body);
        if (m) {
          rec.dtmfReceived += m[1];
          this.log.info('DTMF received by SIP INFO', { callId: rec.id, digit: m[1] });
          this.emit();
        }
        void info.accept().catch(() => undefined);
      },
      onRefer: (referral: Referral) => this.onRefer(rec, referral),
      // An in-dialog re-INVITE from the other side: a session refresh (RFC 4028) and proof of life.
      onInvite: (request: { getHeader(name: string): string | undefined }) => rec.sessionTimer?.refreshedByPeer(request.getHeader('session-expires')),
    };
  }

  protected addTimer(rec: CallRecord, ms: number, fn: () => void): void {
    const t = this.scheduler.setTimeout(() => {
      rec.timers.delete(t);
      fn();
    }, ms);
    rec.timers.add(t);
  }

  protected clearTimers(rec: CallRecord): void {
    for (const t of rec.timers) this.scheduler.clearTimeout(t);
    rec.timers.clear();
    delete rec.autoAnswerAt;
  }

  protected move(rec: CallRecord, to: CallState): void {
    try {
      rec.state = transition(rec.state, to);
    } catch (err) {
      this.log.warn('ignored illegal call transition', { callId: rec.id, error: (err as Error).message });
    }
  }

  protected finalize(rec: CallRecord): void {
    if (rec.state === 'ended') return;
    this.clearTimers(rec);
    this.stopGuards(rec);
    const answered = rec.times.answered !== undefined;
    let end: CallEnd;
    if (rec.endAs) end = rec.endAs;
    else if (answered) end = { reason: rec.hangupBy === 'local' ? 'local-hangup' : 'remote-hangup' };
    else {
      end = unansweredEnd(rec.direction, rec.finalCode, rec.cancelledBy);
      if (rec.finalPhrase && end.reason === 'failed') end.message = rec.finalPhrase;
    }
    // A dead peer's call ended when its media stopped, not when we noticed.
    const now = rec.endedAt !== undefined ? Math.max(rec.endedAt, rec.times.answered ?? rec.endedAt) : this.options.clock.now();
    for (const h of rec.times.holds) if (h.end === undefined) h.end = now;
    rec.times.ended = now;
    rec.end = end;
    this.dtmfPlanner.forget(rec.id);
    rec.waiting = false;
    this.move(rec, 'ended');
    this.log.info('call ended', { callId: rec.id, reason: end.reason, code: end.sipCode });
    const snap = this.snapshot(rec);
    for (const l of [...this.endListeners]) {
      try {
        l(snap);
      } catch (err) {
        this.log.warn('call-ended listener failed', { error: (err as Error).message });
      }
    }
    if (end.reason === 'transferred') this.announce(CallTransferred, rec, { transfer: rec.transfer ? { ...rec.transfer } : null });
    this.announce(CallEnded, rec, { reason: { ...end }, times: snap.times });
    this.pruneEnded();
    this.emit();
  }

  /**
   * Reports one lifecycle event of a call on the core bus. Held/resumed repeat per hold interval;
   * every other event is announced at most once per call.
   */
  protected announce<E extends CallEventBase>(event: CoreEvent<E>, rec: CallRecord, extra?: Omit<E, keyof CallEventBase>): void {
    if (event !== CallHeld && event !== CallResumed) {
      if (rec.announced.has(event.name)) return;
      rec.announced.add(event.name);
    }
    this.options.bus?.emit(event, { call: this.snapshot(rec), at: this.options.clock.now(), ...extra } as E);
  }

  protected pruneEnded(): void {
    const ended = [...this.calls.values()].filter((c) => c.state === 'ended');
    for (const c of ended.slice(0, Math.max(0, ended.length - MAX_ENDED_KEPT))) this.calls.delete(c.id);
  }

  protected snapshot(rec: CallRecord): CallSnapshot {
    return {
      id: rec.id,
      sipCallId: rec.sipCallId,
      direction: rec.direction,
      remote: { ...rec.remote },
      caller: { ...rec.caller, candidates: rec.caller.candidates.map((c) => ({ ...c })) },
      state: rec.state,
      muted: rec.muted,
      remoteHold: rec.remoteHold,
      waiting: rec.waiting,
      times: { ...rec.times, holds: rec.times.holds.map((h) => ({ ...h })) },
      ...(rec.end ? { end: { ...rec.end } } : {}),
      headers: { ...rec.headers },
      ...(rec.queue ? { queue: { ...rec.queue } } : {}),
      ...(rec.autoAnswerAt !== undefined ? { autoAnswerAt: rec.autoAnswerAt } : {}),
      ...(rec.transfer ? { transfer: { ...rec.transfer } } : {}),
      ...(rec.linkedCallId ? { linkedCallId: rec.linkedCallId } : {}),
      dtmfReceived: rec.dtmfReceived,
      ...(rec.watchdog && rec.state !== 'ended' ? { media: rec.watchdog.current } : {}),
    };
  }

  protected emit(): void {
    if (this.listeners.size === 0) return;
    const state = this.state();
    for (const l of [...this.listeners]) {
      try {
        l(state);
      } catch (err) {
        this.log.warn('phone state listener failed', { error: (err as Error).message });
      }
    }
  }
}
