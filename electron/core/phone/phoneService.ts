import { randomUUID } from 'node:crypto';
import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SIPExtension,
  SessionState,
  UserAgent,
  type Bye,
  type Info,
  type Notification,
  type Referral,
  type Session,
  type SessionDescriptionHandlerOptions,
  type URI,
} from 'sip.js';
import { AppError, assertNever } from '../../../shared/api/result';
import type {
  CallDirection,
  CallEnd,
  CallSnapshot,
  PhoneState,
  Registration,
  RegistrationFailure,
  RemoteIdentity,
  TransferStatus,
} from '../../../shared/phone/call';
import { certificateProblem } from '../../../shared/phone/call';
import { transition, isEstablished, isLive, type CallState } from '../../../shared/phone/callState';
import { callFailureFromError } from '../../../shared/phone/callFailure';
import { unansweredEnd } from '../../../shared/phone/endReason';
import { callInfoAnswerAfter, normaliseDialTarget, remoteIdentity } from '../../../shared/phone-number/sipUri';
import { looksLikeSdp, sdpAudioDirection, type MediaHost } from '../../../shared/phone/mediaHost';
import type { QualitySample } from '../../../shared/phone/quality';
import type { Clock } from '../adapters';
import type { CoreBus, CoreEvent } from '../bus/coreBus';
import type { Logger } from '../log/logger';
import { CallAnswered, CallDialing, CallEnded, CallHeld, CallResumed, CallRinging, CallTransferred, type CallEventBase } from './callEvents';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from '../adapters/backoff';
import { repeat, sleep, systemScheduler, type Scheduler, type TimerHandle } from '../adapters/scheduler';
import { MediaWatchdog } from './mediaWatchdog';
import type { NetworkMonitor } from '../adapters/network';
import { DtmfPlanner } from './dtmfPlan';
import { RemoteSessionDescriptionHandler } from './remoteSdh';
import { DEFAULT_SESSION_TIMER, SessionTimer, decideAsUac, decideAsUas, offerHeaders, parseMinSe, type SessionTimerConfig } from './sessionTimer';
import { intervalAfterTooSmall, retryInviteHeaders } from './sessionIntervalRetry';
import { peerSupportsReplaces, takeoverCallId, takeoverReferTarget } from './replacesFallback';
import { ensureGlobalWebSocket, takeTlsError } from './webSocketGlobal';

/** The SIP account the phone registers. */
export interface PhoneAccount {
  /** Address of record, e.g. `sip:1001@pbx.example`. */
  uri: string;
  /** Digest user; the AOR's user part when empty. */
  authUser: string;
  password: string;
  /** `ws://` or `wss://` URL of the PBX's SIP WebSocket. */
  server: string;
  displayName: string;
  /** Requested registration lifetime (s); refreshed before it runs out. */
  registerExpires: number;
}

/** Behaviour read on every use, so settings changes apply without a restart. */
export interface PhoneBehaviour {
  dtmfMethod: 'rfc4733' | 'info';
  autoAnswer: { enabled: boolean; delaySeconds: number; honourCallInfo: boolean };
  doNotDisturb: boolean;
  rejectCode: 486 | 603;
  ringTimeoutSeconds: number;
  mappedHeaders: string[];
  /** No media from the other side for this long (hold excluded) ends the call as `media-timeout`. */
  mediaTimeoutSeconds?: number;
}

/** Timers of the transport watchdog and reconnect logic. */
export interface PhoneTiming {
  /** Interval of keep-alive probes (OPTIONS) while connected (ms). */
  keepAliveIntervalMs: number;
  /** A probe without any answer in this time means the transport is dead (ms). */
  keepAliveTimeoutMs: number;
  /** A REGISTER without an answer in this time fails with `timeout` (ms). */
  registerTimeoutMs: number;
  /** WebSocket connect timeout (s, sip.js granularity). */
  connectTimeoutSeconds: number;
  backoff: BackoffPolicy;
  /** Percentage of the granted expiry after which the registration is refreshed. */
  refreshPercent: number;
  /** SIP session timers (RFC 4028). */
  sessionTimer: SessionTimerConfig;
}

/** Default timing: probe every 10 s, declare death after 5 s of silence, reconnect within 3 s. */
export const DEFAULT_TIMING: PhoneTiming = {
  keepAliveIntervalMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  registerTimeoutMs: 8_000,
  connectTimeoutSeconds: 4,
  backoff: DEFAULT_BACKOFF,
  refreshPercent: 80,
  sessionTimer: DEFAULT_SESSION_TIMER,
};

/** Everything a PhoneService needs. */
export interface PhoneServiceOptions {
  account: PhoneAccount;
  behaviour: () => PhoneBehaviour;
  media: MediaHost;
  clock: Clock;
  logger: Logger;
  network?: NetworkMonitor;
  timing?: Partial<PhoneTiming>;
  random?: () => number;
  /** sip.js internal log level routed to the logger (default `warn`). */
  sipLogLevel?: 'debug' | 'log' | 'warn' | 'error';
  /** A CA (PEM) trusted for wss:// besides the built-in root store (policy `sip.tlsCaFile`). */
  tlsExtraCaPem?: string;
  /** Whether a media host is connected (reported in the snapshot). */
  mediaReady?: () => boolean;
  /**
   * Stable `+sip.instance` UUID of this installation (RFC 5626, one per data directory): REGISTER
   * carries it with `reg-id=1`, so after a crash the new registration replaces the old binding.
   */
  instanceId?: string;
  /** The core bus the call lifecycle events (./callEvents.ts) go to. */
  bus?: CoreBus;
  /** Timers (ring timeout, keep-alive, reconnect, session timer...); the real timers when absent. */
  scheduler?: Scheduler;
}

interface CallRecord {
  id: string;
  session: Session;
  direction: CallDirection;
  remote: RemoteIdentity;
  state: CallState;
  muted: boolean;
  remoteHold: boolean;
  waiting: boolean;
  times: CallSnapshot['times'];
  end?: CallEnd;
  headers: Record<string, string>;
  autoAnswerAt?: number;
  transfer?: TransferStatus;
  linkedCallId?: string;
  dtmfReceived: string;
  sipCallId: string;
  cancelledBy?: 'local' | 'local-timeout' | 'remote';
  finalCode?: number;
  finalPhrase?: string;
  endAs?: CallEnd;
  hangupBy?: 'local' | 'remote';
  timers: Set<TimerHandle>;
  /** False for an answered inbound call until its ACK arrived (no re-INVITE before that, RFC 3261 14.1). */
  acked: boolean;
  ackWaiters: (() => void)[];
  /** Watches the media of an established call (dead peer detection). */
  watchdog?: MediaWatchdog;
  /** The session timer (RFC 4028) of an established call, when negotiated. */
  sessionTimer?: SessionTimer;
  /** Session-timer headers for our 2xx to an inbound INVITE. */
  timerHeaders?: string[];
  /** The call really ended earlier than it was torn down (last media seen before a media timeout). */
  endedAt?: number;
  /** The negotiated session timer, started once the call is established. */
  timerPlan?: { seconds: number; weRefresh: boolean };
  /** Our INVITE got 422 (interval too small): resend it raised (RFC 4028 7.4) instead of ending. */
  intervalRetry?: { offeredSeconds: number; retries: number; next?: Inviter; make(seconds: number, attempt: number): Inviter };
  /** The option tags the other side listed in Supported (its INVITE, or its 2xx to ours). */
  peerSupported?: string[];
  /** Once-per-call lifecycle events already announced on the bus. */
  announced: Set<string>;
}

const MAX_ENDED_KEPT = 10;
/** INVITEs larger than this are refused with 513 (a PBX INVITE with SDP is 1-4 KB). */
const MAX_INVITE_BYTES = 16 * 1024;

function failureFromCode(code: number): RegistrationFailure {
  if (code === 401 || code === 407) return 'wrong-password';
  if (code === 403) return 'forbidden';
  if (code === 408 || code === 504) return 'timeout';
  if (code === 503) return 'network';
  return 'rejected';
}

/**
 * The softphone's signalling: one sip.js UserAgent and Registerer for one account, its calls, and
 * recovery (keep-alive probes, reconnect with capped exponential backoff and jitter, re-register,
 * re-INVITE of established calls after a transport loss or a media host restart). Media is delegated
 * to a {@link MediaHost} through a RemoteSessionDescriptionHandler per call.
 *
 * Every public call method throws AppError: NOT_FOUND (unknown call), CONFLICT (illegal in the
 * call's state), UNAVAILABLE (not registered / transport down), INVALID_PAYLOAD (bad target).
 */
export class PhoneService {
  private ua: UserAgent | null = null;
  private registerer: Registerer | null = null;
  private readonly calls = new Map<string, CallRecord>();
  private readonly dtmfPlanner = new DtmfPlanner();
  private readonly sessionIds = new WeakMap<Session, string>();
  private readonly listeners = new Set<(state: PhoneState) => void>();
  private readonly endListeners = new Set<(call: CallSnapshot) => void>();
  private readonly timing: PhoneTiming;
  private readonly log: Logger;
  private readonly random: () => number;
  private registration: Registration;
  private stopped = true;
  private uaStarted = false;
  private readonly scheduler: Scheduler;
  private reconnectTimer: TimerHandle | null = null;
  private keepAliveTimer: (() => void) | null = null;
  private probeTimer: TimerHandle | null = null;
  private registerTimer: TimerHandle | null = null;
  private refreshTimer: TimerHandle | null = null;
  /** A REGISTER is out and unanswered (initial, refresh or forced). */
  private registerPending = false;
  private connecting = false;
  private lostTransport = false;
  private unsubscribeNetwork: (() => void) | null = null;
  private readonly aor: URI;

  constructor(private readonly options: PhoneServiceOptions) {
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

  // ---------------------------------------------------------------- lifecycle

  /** Connects and registers. Resolves once the first connect attempt finished (either way). */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    ensureGlobalWebSocket({ extraCaPem: this.options.tlsExtraCaPem });
    const { account } = this.options;
    this.ua = new UserAgent({
      uri: this.aor,
      authorizationUsername: account.authUser || this.aor.user || '',
      authorizationPassword: account.password,
      displayName: account.displayName || undefined,
      transportOptions: { server: account.server, connectionTimeout: this.timing.connectTimeoutSeconds, keepAliveInterval: 0 },
      sipExtensionReplaces: SIPExtension.Supported,
      ...(this.options.instanceId ? { instanceId: this.options.instanceId } : {}),
      logBuiltinEnabled: false,
      logLevel: this.options.sipLogLevel ?? 'warn',
      logConnector: (level, category, label, content) => {
        const fields = { category, ...(label ? { label } : {}) };
        if (level === 'error') this.log.error(`sip.js: ${content}`, fields);
        else if (level === 'warn') this.log.warn(`sip.js: ${content}`, fields);
        else this.log.debug(`sip.js: ${content}`, fields);
      },
      // Our own ring timeout decides; this is only the backstop of sip.js.
      noAnswerTimeout: 3600,
      sessionDescriptionHandlerFactory: (session) => this.makeSdh(session),
      delegate: {
        onConnect: () => this.onTransportConnected(),
        onDisconnect: (error) => this.onTransportLost(error?.message ?? 'transport closed'),
        onInvite: (invitation) => this.onInvite(invitation),
      },
    });
    this.unsubscribeNetwork = this.options.network?.onSignal((signal) => this.onNetworkSignal(signal)) ?? null;
    this.setRegistration({ state: 'registering', attempt: 0 });
    await this.connect();
  }

  /** Hangs up every call, unregisters (best effort, 2 s) and disconnects. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribeNetwork?.();
    this.unsubscribeNetwork = null;
    this.clearTransportTimers();
    for (const rec of this.calls.values()) {
      if (isLive(rec.state)) {
        try {
          this.endSession(rec, 'local');
        } catch (err) {
          this.log.warn('hang-up on stop failed', { callId: rec.id, error: (err as Error).message });
        }
      }
    }
    const ua = this.ua;
    const registerer = this.registerer;
    this.registerer = null;
    if (registerer && ua?.isConnected()) {
      await Promise.race([registerer.unregister().catch(() => undefined), sleep(this.scheduler, 2000)]);
    }
    await ua?.stop().catch((err: Error) => this.log.warn('user agent stop failed', { error: err.message }));
    this.ua = null;
    // A call the stop could not end cleanly still ends for everyone listening (call log, agent state).
    for (const rec of this.calls.values()) {
      if (rec.state !== 'ended') this.finalize(rec);
    }
    this.setRegistration({ state: 'unregistered', attempt: 0 });
  }

  /** Forces a fresh registration now (status bar "retry"); reconnects first when disconnected. */
  async register(): Promise<void> {
    if (this.stopped || !this.ua) throw new AppError('UNAVAILABLE', 'The phone is not started');
    if (this.ua.isConnected()) {
      this.sendRegister();
    } else {
      if (this.reconnectTimer) this.scheduler.clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      this.registration.attempt = 0;
      await this.connect();
    }
  }

  /** The phone state snapshot (registration, calls, do-not-disturb, media readiness). */
  state(): PhoneState {
    const calls = [...this.calls.values()].map((r) => this.snapshot(r));
    return {
      registration: { ...this.registration },
      calls,
      doNotDisturb: this.options.behaviour().doNotDisturb,
      mediaReady: this.options.mediaReady?.() ?? true,
    };
  }

  /** Subscribes to state changes; returns an unsubscribe. */
  onState(listener: (state: PhoneState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to calls that ended (missed, answered, failed...) for the call log; returns an unsubscribe. */
  onCallEnded(listener: (call: CallSnapshot) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** One call's snapshot; throws NOT_FOUND. */
  call(callId: string): CallSnapshot {
    return this.snapshot(this.get(callId));
  }

  /** Re-emits the state (e.g. after a behaviour setting like do-not-disturb changed). */
  touch(): void {
    this.emit();
  }

  // ---------------------------------------------------------------- transport and registration

  private async connect(): Promise<void> {
    if (this.stopped || !this.ua || this.connecting) return;
    this.connecting = true;
    try {
      if (this.uaStarted) await this.ua.reconnect();
      else {
        this.uaStarted = true;
        await this.ua.start();
      }
    } catch (err) {
      const server = this.options.account.server;
      this.log.warn('connect failed', { server, error: (err as Error).message, attempt: this.registration.attempt });
      const tlsError = takeTlsError(server);
      if (tlsError && !this.stopped) {
        // Never silently insecure, and no retry loop: a refused certificate needs IT (PBX CA policy).
        const code = String((tlsError as { code?: unknown }).code ?? 'TLS');
        this.log.error('server certificate refused', { server, code, error: tlsError.message });
        this.setRegistration({ state: 'failed', reason: 'certificate', certificate: { host: hostOf(server), problem: certificateProblem(code), code }, attempt: this.registration.attempt + 1 });
      } else if (!this.stopped) this.retryLater('disconnected', 'network');
    } finally {
      this.connecting = false;
    }
  }

  /**
   * Enters `state` (disconnected, or failed with a transient reason) and plans the next attempt with
   * capped exponential backoff and jitter: re-register when the transport is up, else reconnect.
   */
  private retryLater(state: 'disconnected' | 'failed', reason: RegistrationFailure, sipCode?: number): void {
    if (this.stopped) return;
    const attempt = this.registration.attempt + 1;
    let nextAttemptAt = this.registration.nextAttemptAt ?? this.options.clock.now();
    if (!this.reconnectTimer) {
      const wait = backoffDelay(attempt - 1, this.timing.backoff, this.random);
      nextAttemptAt = this.options.clock.now() + wait;
      this.reconnectTimer = this.scheduler.setTimeout(() => {
        this.reconnectTimer = null;
        if (this.ua?.isConnected()) this.sendRegister();
        else void this.connect();
      }, wait);
    }
    this.setRegistration({ state, reason, attempt, nextAttemptAt, ...(sipCode !== undefined ? { sipCode } : {}) });
  }

  private onTransportConnected(): void {
    this.log.info('transport connected', { server: this.options.account.server });
    this.startKeepAlive();
    this.sendRegister();
  }

  private onTransportLost(reason: string): void {
    this.clearTransportTimers();
    if (this.stopped) return;
    this.lostTransport = true;
    this.log.warn('transport lost', { reason });
    this.disposeRegisterer();
    this.retryLater('disconnected', 'network');
  }

  private clearTransportTimers(): void {
    this.keepAliveTimer?.();
    if (this.probeTimer) this.scheduler.clearTimeout(this.probeTimer);
    if (this.registerTimer) this.scheduler.clearTimeout(this.registerTimer);
    if (this.refreshTimer) this.scheduler.clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    if (this.stopped && this.reconnectTimer) {
      this.scheduler.clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    this.keepAliveTimer = null;
    this.probeTimer = null;
    this.registerTimer = null;
  }

  private startKeepAlive(): void {
    this.keepAliveTimer?.();
    this.keepAliveTimer = repeat(this.scheduler, this.timing.keepAliveIntervalMs, () => this.probe());
  }

  /** Sends an OPTIONS to the registrar; no answer at all within the timeout means a dead transport. */
  private probe(): void {
    const ua = this.ua;
    if (!ua || !ua.isConnected() || this.probeTimer) return;
    const core = ua.userAgentCore;
    const target = UserAgent.makeURI(`sip:${this.aor.host}`);
    if (!target) return;
    const settle = () => {
      if (this.probeTimer) this.scheduler.clearTimeout(this.probeTimer);
      this.probeTimer = null;
    };
    this.probeTimer = this.scheduler.setTimeout(() => {
      this.probeTimer = null;
      this.log.warn('keep-alive probe unanswered: closing the transport', { ms: this.timing.keepAliveTimeoutMs });
      void ua.transport.disconnect().catch(() => undefined);
      // A frozen peer may never complete the close handshake: treat the transport as lost now.
      if (ua.isConnected()) this.onTransportLost('keep-alive timeout');
    }, this.timing.keepAliveTimeoutMs);
    try {
      const msg = core.makeOutgoingRequestMessage('OPTIONS', target, this.aor, target, {});
      core.request(msg, { onAccept: settle, onReject: settle, onProgress: settle, onRedirect: settle, onTrying: settle });
    } catch (err) {
      settle();
      this.log.warn('keep-alive probe failed to send', { error: (err as Error).message });
    }
  }

  private disposeRegisterer(): void {
    const r = this.registerer;
    this.registerer = null;
    if (r) void r.dispose().catch(() => undefined);
  }

  private sendRegister(): void {
    const ua = this.ua;
    if (!ua || this.stopped) return;
    if (!this.options.account.password) {
      this.setRegistration({ state: 'failed', reason: 'no-password', attempt: 0 });
      return;
    }
    let registerer = this.registerer;
    if (!registerer) {
      registerer = new Registerer(ua, {
        expires: this.options.account.registerExpires,
        refreshFrequency: 99,
        ...(this.options.instanceId ? { regId: 1 } : {}),
        logConfiguration: false,
      });
      this.registerer = registerer;
      const r = registerer;
      r.stateChange.addListener((s) => {
        if (this.registerer !== r) return;
        if (s === RegistererState.Registered) {
          if (this.registerTimer) this.scheduler.clearTimeout(this.registerTimer);
          this.registerTimer = null;
          const wasLost = this.lostTransport;
          this.lostTransport = false;
          this.setRegistration({
            state: 'registered',
            attempt: 0,
            expiresAt: this.registration.expiresAt ?? this.options.clock.now() + this.options.account.registerExpires * 1000,
          });
          this.log.info('registered', { aor: this.options.account.uri });
          // Media does not travel through the signalling path: a restored transport (PBX restart,
          // network blip) only needs the other side to learn our new connection (target refresh).
          if (wasLost) this.refreshTargets('transport restored');
        } else if (s === RegistererState.Unregistered && this.registration.state === 'registered') {
          this.setRegistration({ state: 'unregistered', attempt: 0 });
        }
      });
    }
    if (this.registration.state !== 'registered') this.setRegistration({ state: 'registering', attempt: this.registration.attempt });
    if (this.registerTimer) this.scheduler.clearTimeout(this.registerTimer);
    this.registerTimer = this.scheduler.setTimeout(() => {
      this.registerTimer = null;
      if (this.registerPending) {
        this.registerPending = false;
        this.log.warn('REGISTER timed out', { ms: this.timing.registerTimeoutMs });
        this.disposeRegisterer();
        this.retryLater('failed', 'timeout');
      }
    }, this.timing.registerTimeoutMs);
    this.registerPending = true;
    registerer
      .register({
        requestDelegate: {
          onAccept: (response) => {
            this.registerPending = false;
            // Registered state is driven by stateChange; record the granted expiry and plan our refresh.
            const granted = grantedExpires(response.message, this.options.account.registerExpires);
            this.registration.expiresAt = this.options.clock.now() + granted * 1000;
            this.log.info('REGISTER accepted', { expires: granted });
            this.scheduleRefresh(granted);
            this.emit();
          },
          onReject: (response) => {
            this.registerPending = false;
            const code = response.message.statusCode ?? 0;
            const reason = failureFromCode(code);
            if (this.registerTimer) this.scheduler.clearTimeout(this.registerTimer);
            this.registerTimer = null;
            this.log.warn('registration rejected', { code, reason, phrase: response.message.reasonPhrase });
            this.disposeRegisterer();
            // Wrong credentials or a ban: retrying would only lock the account. Wait for the user.
            if (reason === 'timeout' || reason === 'network') this.retryLater('failed', reason, code);
            else this.setRegistration({ state: 'failed', reason, sipCode: code, attempt: this.registration.attempt + 1 });
          },
        },
      })
      .catch((err: Error) => {
        this.log.warn('REGISTER could not be sent', { error: err.message });
      });
  }

  /**
   * Refreshes at `refreshPercent` of the granted lifetime through our own REGISTER (sip.js's own
   * refresh runs at 99 % and is reset by ours), so refresh failures reach our delegate.
   */
  private scheduleRefresh(grantedSeconds: number): void {
    if (this.refreshTimer) this.scheduler.clearTimeout(this.refreshTimer);
    const ms = Math.max(1000, grantedSeconds * 10 * this.timing.refreshPercent);
    this.refreshTimer = this.scheduler.setTimeout(() => {
      this.refreshTimer = null;
      if (this.ua?.isConnected() && this.registration.state === 'registered') this.sendRegister();
    }, ms);
  }

  private onNetworkSignal(signal: string): void {
    if (this.stopped) return;
    this.log.info('network signal: re-registering', { signal });
    if (this.ua?.isConnected()) {
      // After sleep or a network change the socket may be dead without knowing it: probe it too.
      this.probe();
      this.sendRegister();
    } else {
      if (this.reconnectTimer) this.scheduler.clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      void this.connect();
    }
  }

  private setRegistration(next: Omit<Registration, 'aor' | 'since'> & Partial<Pick<Registration, 'since'>>): void {
    const now = this.options.clock.now();
    const changed = next.state !== this.registration.state || next.reason !== this.registration.reason;
    this.registration = {
      aor: this.options.account.uri,
      since: changed ? now : this.registration.since,
      state: next.state,
      attempt: next.attempt,
      ...(next.reason ? { reason: next.reason } : {}),
      ...(next.certificate ? { certificate: next.certificate } : {}),
      ...(next.sipCode !== undefined ? { sipCode: next.sipCode } : {}),
      ...(next.expiresAt !== undefined ? { expiresAt: next.expiresAt } : {}),
      ...(next.nextAttemptAt !== undefined ? { nextAttemptAt: next.nextAttemptAt } : {}),
    };
    if (changed) this.log.info('registration state', { state: next.state, reason: next.reason, code: next.sipCode });
    this.emit();
  }

  // ---------------------------------------------------------------- media

  private makeSdh(session: Session): RemoteSessionDescriptionHandler {
    const callId = this.sessionIds.get(session) ?? session.id;
    return new RemoteSessionDescriptionHandler(callId, this.options.media, this.log.child('sdh'), {
      onRemoteDescription: (sdp) => {
        this.dtmfPlanner.remote(callId, sdp);
        this.onRemoteDescription(callId, sdp);
      },
      onLocalDescription: (sdp) => this.dtmfPlanner.local(callId, sdp),
      onRemoteDescriptionFailed: (err) => this.onUnusableOffer(callId, err),
    });
  }

  /**
   * The media engine refused the caller's offer while we answer: reject with 488 Not Acceptable
   * Here (sip.js would answer 480 Temporarily Unavailable, which tells the caller to retry later).
   */
  private onUnusableOffer(callId: string, err: Error): void {
    const rec = this.calls.get(callId);
    if (!rec || !(rec.session instanceof Invitation) || rec.state !== 'answering') return;
    this.log.warn('media refused the offer: rejecting with 488', { callId, error: err.message });
    void rec.session.reject({ statusCode: 488 }).catch(() => undefined);
  }

  private onRemoteDescription(callId: string, sdp: string): void {
    const rec = this.calls.get(callId);
    if (!rec) return;
    const dir = sdpAudioDirection(sdp);
    const remoteHold = dir === 'sendonly' || dir === 'inactive';
    if (remoteHold !== rec.remoteHold) {
      rec.remoteHold = remoteHold;
      this.pauseWatchdog(rec);
      this.log.info(remoteHold ? 'remote put the call on hold' : 'remote resumed the call', { callId });
      this.emit();
    }
  }

  /**
   * The media host (re)started (renderer reload): re-INVITE every established call so media is
   * negotiated again with the new engine. Returns how many calls are being re-negotiated.
   */
  mediaRestarted(): number {
    return this.renegotiateAll('media host restarted');
  }

  /** A statistics sample of a call's media (from the media engine): feeds its media watchdog. */
  mediaSample(callId: string, sample: QualitySample): void {
    this.calls.get(callId)?.watchdog?.sample(sample);
  }

  /**
   * Target refresh of every established call after a reconnect: a re-INVITE WITHOUT an offer, so
   * the other side learns our new Contact/connection while our media is never touched — if the
   * PBX or the peer refuses it, there is no local offer to roll back. Broken media is the media
   * watchdog's business (ICE restart), not this one's.
   */
  private refreshTargets(why: string): void {
    for (const rec of this.calls.values()) {
      if (!isEstablished(rec.state)) continue;
      this.log.info('re-INVITE without offer to refresh the target', { callId: rec.id, why });
      this.sendReinvite(rec, rec.state === 'held', { withoutSdp: true })
        .then((code) => {
          if (code !== 0) this.log.warn('target refresh refused: media untouched', { callId: rec.id, code });
        })
        .catch((err: Error) => this.log.warn('target refresh failed: media untouched', { callId: rec.id, error: err.message }));
    }
  }

  private renegotiateAll(why: string): number {
    let n = 0;
    for (const rec of this.calls.values()) {
      if (!isEstablished(rec.state)) continue;
      n += 1;
      this.log.info('re-INVITE to renegotiate media', { callId: rec.id, why });
      rec.watchdog?.restartGrace();
      this.reinvite(rec, rec.state === 'held').catch((err: Error) =>
        this.log.warn('re-INVITE failed', { callId: rec.id, error: err.message }),
      );
    }
    return n;
  }

  // ---------------------------------------------------------------- inbound calls

  private onInvite(invitation: Invitation): void {
    const request = invitation.request;
    const body = request.body ?? '';
    const contentType = (request.getHeader('content-type') ?? '').toLowerCase();
    if (body && contentType.startsWith('application/sdp') && !looksLikeSdp(body)) {
      this.log.warn('rejecting INVITE with an unusable SDP offer', { sipCallId: request.callId, from: request.from.uri.toString() });
      void invitation.reject({ statusCode: 488 }).catch(() => undefined);
      return;
    }
    const size = request.data?.length ?? 0;
    if (size > MAX_INVITE_BYTES) {
      this.log.warn('rejecting an oversized INVITE', { sipCallId: request.callId, bytes: size, limit: MAX_INVITE_BYTES });
      void invitation.reject({ statusCode: 513 }).catch(() => undefined);
      return;
    }
    const timer = decideAsUas({ sessionExpires: request.getHeader('session-expires'), supported: request.getHeaders('supported') }, this.timing.sessionTimer);
    if (timer.kind === 'reject') {
      this.log.info('session interval too small: 422', { sipCallId: request.callId, asked: request.getHeader('session-expires'), minSe: timer.minSe });
      void invitation.reject({ statusCode: 422, extraHeaders: [`Min-SE: ${timer.minSe}`] }).catch(() => undefined);
      return;
    }
    const behaviour = this.options.behaviour();
    const rec = this.addCall(invitation, 'inbound', remoteIdentity('inbound', {
      pAssertedIdentity: request.getHeader('p-asserted-identity'),
      from: request.getHeader('from'),
    }));
    for (const name of behaviour.mappedHeaders) {
      const v = request.getHeader(name);
      if (v !== undefined) rec.headers[name] = v;
    }
    rec.times.ringing = this.options.clock.now();
    rec.state = 'ringing';
    if (timer.kind === 'timer') {
      rec.timerHeaders = timer.headers;
      rec.timerPlan = { seconds: timer.seconds, weRefresh: timer.weRefresh };
    }
    invitation.delegate = {
      ...this.sessionDelegate(rec),
      onCancel: () => {
        rec.cancelledBy = 'remote';
      },
      onAck: () => {
        rec.acked = true;
        for (const w of rec.ackWaiters.splice(0)) w();
      },
    };

    rec.peerSupported = invitation.request.getHeaders('supported');
    // A transferee without Replaces support names the call in the Request-URI instead (replacesFallback).
    const takeover = invitation.request.ruri ? takeoverCallId(invitation.request.ruri) : null;
    const taken = takeover ? [...this.calls.values()].find((c) => c !== rec && c.sipCallId === takeover && isEstablished(c.state)) : undefined;
    const replacee = invitation.replacee ?? taken?.session;
    if (replacee) {
      // Attended transfer target: this INVITE replaces a call we have; take it over without ringing.
      const old = this.calls.get(this.sessionIds.get(replacee) ?? '');
      if (old) {
        old.endAs = { reason: 'replaced' };
        rec.linkedCallId = old.id;
      }
      this.log.info('INVITE with Replaces: taking over the call', { callId: rec.id, replaces: old?.id, byUriParameter: Boolean(taken) });
      this.announce(CallRinging, rec);
      this.emit();
      void this.answer(rec.id)
        .then(() => {
          // sip.js ends a Replaces replacee itself; the URI-parameter takeover is ours to end.
          if (taken && taken.session.state === SessionState.Established) {
            taken.hangupBy = 'local';
            void taken.session.bye().catch(() => undefined);
          }
        })
        .catch((err: Error) => this.log.warn('answering a replacing INVITE failed', { error: err.message }));
      return;
    }

    const othersLive = [...this.calls.values()].some((c) => c !== rec && isLive(c.state));
    rec.waiting = othersLive;
    if (behaviour.doNotDisturb) {
      this.log.info('do-not-disturb: rejecting inbound call', { callId: rec.id, code: behaviour.rejectCode });
      rec.endAs = { reason: 'missed', sipCode: behaviour.rejectCode, message: 'do-not-disturb' };
      void invitation.reject({ statusCode: behaviour.rejectCode }).catch(() => undefined);
      return;
    }
    this.addTimer(rec, behaviour.ringTimeoutSeconds * 1000, () => {
      if (rec.state !== 'ringing') return;
      this.log.info('ring timeout: call missed', { callId: rec.id });
      rec.endAs = { reason: 'missed', sipCode: 480, message: 'ring-timeout' };
      void invitation.reject({ statusCode: 480 }).catch(() => undefined);
    });
    let autoAfter: number | null = null;
    if (behaviour.autoAnswer.honourCallInfo) autoAfter = callInfoAnswerAfter(request.getHeader('call-info'));
    if (autoAfter === null && behaviour.autoAnswer.enabled) autoAfter = behaviour.autoAnswer.delaySeconds;
    if (autoAfter !== null && !othersLive) {
      rec.autoAnswerAt = this.options.clock.now() + autoAfter * 1000;
      this.addTimer(rec, autoAfter * 1000, () => {
        if (rec.state !== 'ringing') return;
        this.log.info('auto-answer', { callId: rec.id });
        void this.answer(rec.id).catch((err: Error) => this.log.warn('auto-answer failed', { error: err.message }));
      });
    }
    this.log.info('incoming call', { callId: rec.id, from: rec.remote.number, waiting: rec.waiting });
    this.announce(CallRinging, rec);
    this.emit();
  }

  // ---------------------------------------------------------------- call control

  /** Places a call to a number (on the account's domain) or a sip: URI. */
  async dial(target: string, extraHeaders: Record<string, string> = {}): Promise<CallSnapshot> {
    const ua = this.requireRegistered();
    this.requireMedia();
    const t = normaliseDialTarget(target);
    if (!t) throw new AppError('INVALID_PAYLOAD', `"${target}" is not a number or a sip: URI`);
    const uri = UserAgent.makeURI(t.kind === 'uri' ? t.value : `sip:${t.value}@${this.aor.host}`);
    if (!uri) throw new AppError('INVALID_PAYLOAD', `"${target}" is not a valid SIP destination`);
    const headers = Object.entries(extraHeaders).map(([k, v]) => `${k}: ${v.replace(/[\r\n]/g, ' ')}`);
    // A consultation or a second call: the party we were talking to goes on hold first.
    for (const other of this.calls.values()) if (other.state === 'active') await this.hold(other.id);
    const inviter = new Inviter(ua, uri, { extraHeaders: [...headers, ...offerHeaders(this.timing.sessionTimer)] });
    const first = inviter.request;
    // A 422 is retried with the same Call-ID and the next CSeq (InviterOptions.params passes both through).
    const make = (seconds: number, attempt: number) =>
      new Inviter(ua, uri, { extraHeaders: retryInviteHeaders(headers, this.timing.sessionTimer, seconds), params: { callId: first.callId, cseq: first.cseq + attempt } as never });
    return this.startOutbound(inviter, remoteIdentity('outbound', { to: `<${uri.toString()}>` }), undefined, { offeredSeconds: this.timing.sessionTimer.expiresSeconds, retries: 0, make });
  }

  private async startOutbound(inviter: Inviter, remote: RemoteIdentity, linkedCallId?: string, intervalRetry?: CallRecord['intervalRetry']): Promise<CallSnapshot> {
    const rec = this.addCall(inviter, 'outbound', remote);
    if (linkedCallId) rec.linkedCallId = linkedCallId;
    if (intervalRetry) rec.intervalRetry = intervalRetry;
    this.addTimer(rec, this.options.behaviour().ringTimeoutSeconds * 1000, () => {
      if (rec.state !== 'dialing' && rec.state !== 'ringing') return;
      this.log.info('no answer: cancelling', { callId: rec.id });
      rec.cancelledBy = 'local-timeout';
      void (rec.session as Inviter).cancel().catch(() => undefined);
    });
    this.log.info('dialing', { callId: rec.id, to: remote.uri });
    this.announce(CallDialing, rec);
    this.emit();
    await this.sendInvite(rec, inviter);
    return this.snapshot(rec);
  }

  /** Sends the INVITE of an outbound call (again after a 422: the record keeps its id and timers). */
  private async sendInvite(rec: CallRecord, inviter: Inviter): Promise<void> {
    inviter.delegate = this.sessionDelegate(rec);
    try {
      await inviter.invite({
        requestDelegate: {
          onProgress: (response) => {
            const code = response.message.statusCode ?? 0;
            if ((code === 180 || code === 183) && rec.state === 'dialing') {
              rec.times.ringing = this.options.clock.now();
              this.move(rec, 'ringing');
              this.announce(CallRinging, rec);
              this.emit();
            }
          },
          onReject: (response) => {
            rec.finalCode = response.message.statusCode;
            rec.finalPhrase = response.message.reasonPhrase;
            const r = rec.intervalRetry;
            const seconds = r && rec.finalCode === 422 && !rec.cancelledBy ? intervalAfterTooSmall(response.message.getHeader('min-se'), r.offeredSeconds, r.retries) : null;
            if (r && seconds !== null) {
              this.log.info('422 session interval too small: retrying with the Min-SE asked for', { callId: rec.id, seconds });
              r.retries++;
              r.offeredSeconds = seconds;
              r.next = r.make(seconds, r.retries);
            }
          },
          onAccept: (response) => {
            rec.peerSupported = response.message.getHeaders('supported');
            const plan = decideAsUac({ sessionExpires: response.message.getHeader('session-expires') });
            if (plan) rec.timerPlan = plan;
          },
        },
      });
    } catch (err) {
      this.log.warn('INVITE failed', { callId: rec.id, error: (err as Error).message });
      rec.endAs ??= { reason: 'failed', message: (err as Error).message };
      this.finalize(rec);
    }
  }

  /** After a 422, the same call goes on with the raised INVITE; true when it did. */
  private resendAfterTooSmall(rec: CallRecord): boolean {
    const next = rec.intervalRetry?.next;
    if (!next || !isLive(rec.state)) return false;
    delete rec.intervalRetry!.next;
    delete rec.finalCode;
    delete rec.finalPhrase;
    this.sessionIds.delete(rec.session);
    rec.session = next;
    this.sessionIds.set(next, rec.id);
    this.watchSession(rec, next);
    void this.sendInvite(rec, next);
    return true;
  }

  /** Answers a ringing inbound call; other established calls are put on hold first (call waiting). */
  async answer(callId: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!(rec.session instanceof Invitation) || rec.state !== 'ringing') {
      throw new AppError('CONFLICT', `Call ${callId} is not ringing (state ${rec.state})`);
    }
    this.requireMedia();
    if (!rec.linkedCallId || this.calls.get(rec.linkedCallId)?.endAs?.reason !== 'replaced') {
      await this.holdOthers(rec);
    }
    const invitation = rec.session;
    this.move(rec, 'answering');
    rec.waiting = false;
    this.emit();
    try {
      await invitation.accept(rec.timerHeaders ? { extraHeaders: rec.timerHeaders } : undefined);
    } catch (err) {
      // The raw detail (often a WebRTC/SDP exception) goes to the log and Diagnostics; the agent
      // gets the failure kind, shown in words by the UI.
      const detail = (err as Error).message;
      const failure = callFailureFromError(detail);
      this.log.warn('answer failed', { callId, error: detail, failure });
      rec.endAs ??= { reason: 'failed', message: detail };
      this.finalize(rec);
      throw new AppError('UNAVAILABLE', `Could not answer: ${detail}`, { failure });
    }
    return this.snapshot(rec);
  }

  /** Rejects a ringing inbound call with 486 Busy Here or 603 Decline (default `sip.rejectCode`). */
  async reject(callId: string, code?: 486 | 603): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!(rec.session instanceof Invitation) || rec.state !== 'ringing') {
      throw new AppError('CONFLICT', `Call ${callId} is not ringing (state ${rec.state})`);
    }
    const statusCode = code ?? this.options.behaviour().rejectCode;
    rec.endAs = { reason: 'rejected', sipCode: statusCode };
    await rec.session.reject({ statusCode });
    this.finalize(rec);
    return this.snapshot(rec);
  }

  /** Ends a call in any live state: cancel (outbound ringing), reject (inbound ringing) or BYE. */
  async hangup(callId: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!isLive(rec.state)) throw new AppError('CONFLICT', `Call ${callId} has already ended`);
    this.endSession(rec, 'local');
    return this.snapshot(rec);
  }

  private endSession(rec: CallRecord, by: 'local'): void {
    const s = rec.session;
    rec.hangupBy = by;
    if (s.state === SessionState.Established) {
      void s.bye().catch((err: Error) => {
        this.log.warn('BYE failed', { callId: rec.id, error: err.message });
        this.finalize(rec);
      });
    } else if (s instanceof Inviter) {
      rec.cancelledBy ??= 'local';
      void s.cancel().catch(() => this.finalize(rec));
    } else if (s instanceof Invitation) {
      rec.endAs ??= { reason: 'rejected', sipCode: this.options.behaviour().rejectCode };
      void s.reject({ statusCode: this.options.behaviour().rejectCode }).catch(() => this.finalize(rec));
    }
  }

  /** Puts an active call on hold (re-INVITE with a sendonly offer). */
  async hold(callId: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (rec.state === 'held') return this.snapshot(rec);
    if (rec.state !== 'active') throw new AppError('CONFLICT', `Call ${callId} is not active (state ${rec.state})`);
    await this.reinvite(rec, true);
    if (rec.state === 'active') {
      this.move(rec, 'held');
      this.pauseWatchdog(rec);
      rec.times.holds.push({ start: this.options.clock.now() });
      this.announce(CallHeld, rec);
      this.emit();
    }
    return this.snapshot(rec);
  }

  /** Resumes a held call (re-INVITE with a sendrecv offer). Other active calls are held first. */
  async resume(callId: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (rec.state === 'active') return this.snapshot(rec);
    if (rec.state !== 'held') throw new AppError('CONFLICT', `Call ${callId} is not on hold (state ${rec.state})`);
    await this.holdOthers(rec);
    await this.reinvite(rec, false);
    if (rec.state === 'held') {
      this.move(rec, 'active');
      this.pauseWatchdog(rec);
      const last = rec.times.holds[rec.times.holds.length - 1];
      if (last && last.end === undefined) last.end = this.options.clock.now();
      this.announce(CallResumed, rec);
      this.emit();
    }
    return this.snapshot(rec);
  }

  /** Makes `callId` the active call: every other established call is held, this one resumed. */
  async swap(callId: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (rec.state === 'ringing' && rec.direction === 'inbound') return this.answer(callId);
    if (!isEstablished(rec.state)) throw new AppError('CONFLICT', `Call ${callId} is not established (state ${rec.state})`);
    if (rec.state === 'held') return this.resume(callId);
    await this.holdOthers(rec);
    return this.snapshot(rec);
  }

  /** Mutes or unmutes the microphone of a call (media host only: no signalling). */
  async mute(callId: string, muted: boolean): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!isLive(rec.state)) throw new AppError('CONFLICT', `Call ${callId} has ended`);
    rec.muted = muted;
    this.options.media.setMuted(rec.id, muted);
    this.emit();
    return this.snapshot(rec);
  }

  /**
   * Sends DTMF: RFC 4733 through the media host, or SIP INFO (application/dtmf-relay), per
   * `sip.dtmfMethod`; SIP INFO also when the call has no telephone-event at its codec's clock rate.
   */
  async dtmf(callId: string, tones: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!isEstablished(rec.state)) throw new AppError('CONFLICT', `Call ${callId} is not established (state ${rec.state})`);
    const preferred = this.options.behaviour().dtmfMethod;
    const method = this.dtmfPlanner.method(rec.id, preferred);
    if (method !== preferred) this.log.info('RFC 4733 not negotiated for this codec: DTMF by SIP INFO', { callId, ...this.dtmfPlanner.plan(rec.id) });
    switch (method) {
      case 'rfc4733': {
        const sdh = rec.session.sessionDescriptionHandler;
        if (!sdh || !sdh.sendDtmf(tones)) throw new AppError('UNAVAILABLE', 'No media for this call');
        break;
      }
      case 'info':
        for (const tone of tones) {
          if (tone === ',') {
            await sleep(this.scheduler, 500);
            continue;
          }
          await rec.session.info({
            requestOptions: {
              body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${tone}\r\nDuration=160` },
            },
          });
        }
        break;
      default:
        assertNever(method, 'DTMF method');
    }
    this.log.info('DTMF sent', { callId, method, count: tones.length });
    return this.snapshot(rec);
  }

  /**
   * A DTMF digit the media engine heard in the call's remote audio (RFC 4733 events, which the
   * browser plays out as tones, or in-band tones): shown with the call and logged.
   */
  async dtmfHeard(callId: string, digit: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!isEstablished(rec.state)) throw new AppError('CONFLICT', `Call ${callId} is not established (state ${rec.state})`);
    rec.dtmfReceived += digit;
    this.log.info('DTMF received in audio (RFC 4733 or in-band)', { callId, digit });
    this.emit();
    return this.snapshot(rec);
  }

  /** Blind transfer: REFER the remote party to `target`; our leg ends once the transfer succeeded. */
  async transferBlind(callId: string, target: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!isEstablished(rec.state)) throw new AppError('CONFLICT', `Call ${callId} is not established (state ${rec.state})`);
    const t = normaliseDialTarget(target);
    const uri = t ? UserAgent.makeURI(t.kind === 'uri' ? t.value : `sip:${t.value}@${this.aor.host}`) : undefined;
    if (!uri) throw new AppError('INVALID_PAYLOAD', `"${target}" is not a number or a sip: URI`);
    await this.refer(rec, uri, { kind: 'blind', target: uri.toString(), state: 'requested' });
    return this.snapshot(rec);
  }

  /**
   * Attended transfer: REFER the party of `callId` to the party of `consultCallId` with Replaces, so
   * they talk to each other; both of our legs end once the transfer succeeded.
   */
  async transferAttended(callId: string, consultCallId: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    const consult = this.get(consultCallId);
    if (!isEstablished(rec.state) || !isEstablished(consult.state)) {
      throw new AppError('CONFLICT', 'Both calls must be established for an attended transfer');
    }
    consult.linkedCallId = rec.id;
    rec.linkedCallId = consult.id;
    const consultTarget = consult.session.dialog?.remoteTarget;
    const withReplaces = peerSupportsReplaces(rec.peerSupported ?? ['replaces']) || !consultTarget;
    if (!withReplaces) this.log.info('the transferee does not support Replaces: referring to the consultation call by URI parameter', { callId: rec.id });
    const target = withReplaces || !consultTarget ? consult.session : takeoverReferTarget(consultTarget, consult.sipCallId);
    await this.refer(rec, target, { kind: 'attended', target: consult.remote.uri, state: 'requested' }, consult);
    return this.snapshot(rec);
  }

  private async refer(rec: CallRecord, target: URI | Session, status: TransferStatus, consult?: CallRecord): Promise<void> {
    rec.transfer = status;
    this.emit();
    const fail = (code?: number) => {
      rec.transfer = { ...status, state: 'failed', ...(code ? { sipCode: code } : {}) };
      if (consult && consult.state !== 'ended') delete consult.endAs;
      this.log.warn('transfer failed', { callId: rec.id, code });
      this.emit();
    };
    await new Promise<void>((resolve, reject) => {
      rec.session
        .refer(target, {
          requestDelegate: {
            onAccept: () => {
              rec.transfer = { ...status, state: 'accepted' };
              // The transfer target ends the consultation leg itself (Replaces): that BYE is the transfer.
              if (consult) consult.endAs = { reason: 'transferred' };
              this.emit();
              resolve();
            },
            onReject: (response) => {
              fail(response.message.statusCode);
              reject(new AppError('CONFLICT', `Transfer refused: ${response.message.statusCode} ${response.message.reasonPhrase}`));
            },
          },
          onNotify: (notification: Notification) => {
            void notification.accept().catch(() => undefined);
            const frag = notification.request.body ?? '';
            const m = /SIP\/2\.0\s+(\d{3})/.exec(frag);
            const code = m ? Number(m[1]) : 0;
            if (code >= 200 && code < 300) {
              rec.transfer = { ...status, state: 'succeeded', sipCode: code };
              rec.endAs = { reason: 'transferred' };
              if (consult) consult.endAs = { reason: 'transferred' };
              this.log.info('transfer succeeded', { callId: rec.id, kind: status.kind });
              this.emit();
              if (rec.session.state === SessionState.Established) {
                rec.hangupBy = 'local';
                void rec.session.bye().catch(() => undefined);
              }
            } else if (code >= 300) {
              fail(code);
            }
          },
        })
        .catch((err: Error) => {
          fail();
          reject(new AppError('UNAVAILABLE', `Transfer failed: ${err.message}`));
        });
    });
  }

  /** Incoming REFER (we are the transferee): accept it and call the target; the old leg ends as transferred. */
  private onRefer(rec: CallRecord, referral: Referral): void {
    const ua = this.ua;
    if (!ua) return;
    void referral.accept().then(() => {
      const inviter = referral.makeInviter();
      const remote = remoteIdentity('outbound', { to: `<${referral.referTo.uri.clone().toString().replace(/\?.*$/, '')}>` });
      rec.transfer = { kind: referral.replaces ? 'attended' : 'blind', target: remote.uri, state: 'accepted' };
      this.log.info('REFER accepted: calling the transfer target', { callId: rec.id, to: remote.uri });
      return this.startOutbound(inviter, remote, rec.id).then((snap) => {
        if (snap.state !== 'ended') rec.endAs = { reason: 'transferred' };
      });
    }).catch((err: Error) => this.log.warn('handling REFER failed', { callId: rec.id, error: err.message }));
  }

  // ---------------------------------------------------------------- helpers

  private requireMedia(): void {
    if (this.options.mediaReady && !this.options.mediaReady()) {
      throw new AppError('UNAVAILABLE', 'The media engine is not connected (is the CallDesk window open?)');
    }
  }

  private requireRegistered(): UserAgent {
    if (!this.ua || this.registration.state !== 'registered') {
      throw new AppError('UNAVAILABLE', `The phone is not registered (${this.registration.state})`);
    }
    return this.ua;
  }

  private get(callId: string): CallRecord {
    const rec = this.calls.get(callId);
    if (!rec) throw new AppError('NOT_FOUND', `No call ${callId}`);
    return rec;
  }

  private async holdOthers(except: CallRecord): Promise<void> {
    for (const other of this.calls.values()) {
      if (other !== except && other.state === 'active') await this.hold(other.id);
    }
  }

  private async reinvite(rec: CallRecord, hold: boolean, extra: ReinviteExtra = {}): Promise<void> {
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
  private sendReinvite(rec: CallRecord, hold: boolean, extra: ReinviteExtra = {}): Promise<number> {
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
  private startGuards(rec: CallRecord): void {
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

  private stopGuards(rec: CallRecord): void {
    rec.watchdog?.dispose();
    rec.sessionTimer?.stop();
    delete rec.sessionTimer;
  }

  private pauseWatchdog(rec: CallRecord): void {
    rec.watchdog?.setPaused(rec.state === 'held' || rec.remoteHold);
  }

  /** Ends a call whose other side is gone (media timeout, expired session): BYE, with the real end time. */
  private endDead(rec: CallRecord, end: CallEnd, endedAt?: number): void {
    if (!isLive(rec.state)) return;
    this.log.warn('ending a dead call', { callId: rec.id, reason: end.reason, lastMediaAt: endedAt });
    rec.endAs = end;
    if (endedAt !== undefined) rec.endedAt = endedAt;
    this.endSession(rec, 'local');
  }

  private addCall(session: Session, direction: CallDirection, remote: RemoteIdentity): CallRecord {
    const id = randomUUID();
    const rec: CallRecord = {
      id,
      session,
      direction,
      remote,
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

  private watchSession(rec: CallRecord, session: Session): void {
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

  private sessionDelegate(rec: CallRecord) {
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

  private addTimer(rec: CallRecord, ms: number, fn: () => void): void {
    const t = this.scheduler.setTimeout(() => {
      rec.timers.delete(t);
      fn();
    }, ms);
    rec.timers.add(t);
  }

  private clearTimers(rec: CallRecord): void {
    for (const t of rec.timers) this.scheduler.clearTimeout(t);
    rec.timers.clear();
    delete rec.autoAnswerAt;
  }

  private move(rec: CallRecord, to: CallState): void {
    try {
      rec.state = transition(rec.state, to);
    } catch (err) {
      this.log.warn('ignored illegal call transition', { callId: rec.id, error: (err as Error).message });
    }
  }

  private finalize(rec: CallRecord): void {
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
  private announce<E extends CallEventBase>(event: CoreEvent<E>, rec: CallRecord, extra?: Omit<E, keyof CallEventBase>): void {
    if (event !== CallHeld && event !== CallResumed) {
      if (rec.announced.has(event.name)) return;
      rec.announced.add(event.name);
    }
    this.options.bus?.emit(event, { call: this.snapshot(rec), at: this.options.clock.now(), ...extra } as E);
  }

  private pruneEnded(): void {
    const ended = [...this.calls.values()].filter((c) => c.state === 'ended');
    for (const c of ended.slice(0, Math.max(0, ended.length - MAX_ENDED_KEPT))) this.calls.delete(c.id);
  }

  private snapshot(rec: CallRecord): CallSnapshot {
    return {
      id: rec.id,
      sipCallId: rec.sipCallId,
      direction: rec.direction,
      remote: { ...rec.remote },
      state: rec.state,
      muted: rec.muted,
      remoteHold: rec.remoteHold,
      waiting: rec.waiting,
      times: { ...rec.times, holds: rec.times.holds.map((h) => ({ ...h })) },
      ...(rec.end ? { end: { ...rec.end } } : {}),
      headers: { ...rec.headers },
      ...(rec.autoAnswerAt !== undefined ? { autoAnswerAt: rec.autoAnswerAt } : {}),
      ...(rec.transfer ? { transfer: { ...rec.transfer } } : {}),
      ...(rec.linkedCallId ? { linkedCallId: rec.linkedCallId } : {}),
      dtmfReceived: rec.dtmfReceived,
      ...(rec.watchdog && rec.state !== 'ended' ? { media: rec.watchdog.current } : {}),
    };
  }

  private emit(): void {
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

/** The lifetime the registrar granted: our Contact's `expires` param, else the Expires header, else what we asked. */
function grantedExpires(message: { getHeaders(name: string): string[]; getHeader(name: string): string | undefined }, asked: number): number {
  for (const contact of message.getHeaders('contact')) {
    const m = /;\s*expires\s*=\s*(\d+)/i.exec(contact);
    if (m) return Number(m[1]);
  }
  const h = Number(message.getHeader('expires'));
  return Number.isFinite(h) && h > 0 ? h : asked;
}

/** host:port of a ws(s):// URL, for messages. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Extras of one re-INVITE: session-timer headers, an ICE restart, the final response. */
interface ReinviteExtra {
  headers?: string[];
  /** No offer: the other side offers in its 2xx (target refresh); a refusal leaves the media as it was. */
  withoutSdp?: boolean;
  iceRestart?: boolean;
  onResponse?(message: { getHeader(name: string): string | undefined }): void;
}
