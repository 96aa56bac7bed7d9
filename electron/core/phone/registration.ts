import { Invitation, Registerer, RegistererState, SIPExtension, UserAgent } from 'sip.js';
import { AppError } from '../../../shared/api/result';
import { type CallSnapshot, type PhoneState, type Registration, type RegistrationFailure, certificateProblem } from '../../../shared/phone/call';
import { isLive } from '../../../shared/phone/callState';
import { backoffDelay } from '../adapters/backoff';
import { repeat, sleep } from '../adapters/scheduler';
import { ensureGlobalWebSocket, takeTlsError } from './webSocketGlobal';
import { failureFromCode, grantedExpires, hostOf } from './phoneTypes';
import { CallMedia } from './callMedia';

/** sip.js log levels, least to most verbose. */
const LOG_RANK = { error: 0, warn: 1, log: 2, debug: 3 } as const;

/**
 * The registration layer of the phone (see phoneService.ts): the user agent's lifecycle, transport
 * watchdog (keep-alive probes, reconnect with backoff), REGISTER and its refresh, network signals.
 */
export abstract class PhoneRegistration extends CallMedia {
  /** A new INVITE arrived (inbound calls). */
  protected abstract onInvite(invitation: Invitation): void;

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
      // The SIP trace needs sip.js's `log` level (its transport logs each message there); what the
      // logger gets still follows sipLogLevel.
      logLevel: this.options.sipTrace && (this.options.sipLogLevel ?? 'warn') !== 'debug' ? 'log' : (this.options.sipLogLevel ?? 'warn'),
      logConnector: (level, category, label, content) => {
        // A traced message goes to the trace, and to the log only at the sip.js level asked for.
        if (level === 'log' && this.options.sipTrace?.takeLogLine(content) && LOG_RANK[this.options.sipLogLevel ?? 'warn'] < LOG_RANK.log) return;
        const fields = { category, ...(label ? { label } : {}) };
        if (level === 'error') this.log.error(`sip.js: ${content}`, fields);
        else if (level === 'warn') this.log.warn(`sip.js: ${content}`, fields);
        else if (LOG_RANK[this.options.sipLogLevel ?? 'warn'] >= LOG_RANK[level]) this.log.debug(`sip.js: ${content}`, fields);
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

  /** The running user agent, null before start or after stop (monitoring legs place their own sessions on it). */
  userAgent(): UserAgent | null {
    return this.ua;
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

  protected async connect(): Promise<void> {
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
  protected retryLater(state: 'disconnected' | 'failed', reason: RegistrationFailure, sipCode?: number): void {
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

  protected onTransportConnected(): void {
    this.log.info('transport connected', { server: this.options.account.server });
    this.startKeepAlive();
    this.sendRegister();
  }

  protected onTransportLost(reason: string): void {
    this.clearTransportTimers();
    if (this.stopped) return;
    this.lostTransport = true;
    this.log.warn('transport lost', { reason });
    this.disposeRegisterer();
    this.retryLater('disconnected', 'network');
  }

  protected clearTransportTimers(): void {
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

  protected startKeepAlive(): void {
    this.keepAliveTimer?.();
    this.keepAliveTimer = repeat(this.scheduler, this.timing.keepAliveIntervalMs, () => this.probe());
  }

  /** Sends an OPTIONS to the registrar; no answer at all within the timeout means a dead transport. */
  protected probe(): void {
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

  protected disposeRegisterer(): void {
    const r = this.registerer;
    this.registerer = null;
    if (r) void r.dispose().catch(() => undefined);
  }

  protected sendRegister(): void {
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
  protected scheduleRefresh(grantedSeconds: number): void {
    if (this.refreshTimer) this.scheduler.clearTimeout(this.refreshTimer);
    const ms = Math.max(1000, grantedSeconds * 10 * this.timing.refreshPercent);
    this.refreshTimer = this.scheduler.setTimeout(() => {
      this.refreshTimer = null;
      if (this.ua?.isConnected() && this.registration.state === 'registered') this.sendRegister();
    }, ms);
  }

  protected onNetworkSignal(signal: string): void {
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

  protected setRegistration(next: Omit<Registration, 'aor' | 'since'> & Partial<Pick<Registration, 'since'>>): void {
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

}
