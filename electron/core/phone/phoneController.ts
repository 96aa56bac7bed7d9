import { readFile } from 'node:fs/promises';
import type { Invitation } from 'sip.js';
import type { InvokeHandlers } from '../../../shared/api/contract';
import { AppError } from '../../../shared/api/result';
import type { PhoneState } from '../../../shared/phone/call';
import type { QualitySample } from '../../../shared/phone/quality';
import type { SettingKey } from '../../../shared/settings/definitions';
import type { Clock, Scheduler, SecretStore } from '../adapters';
import type { SettingsService } from '../config/settingsService';
import type { CoreBus } from '../bus/coreBus';
import type { CoreEvents } from '../events';
import type { Logger } from '../log/logger';
import type { NetworkMonitor } from '../adapters/network';
import { PhoneService, type PhoneAccount, type PhoneBehaviour, type PhoneTiming } from './phoneService';
import { RemoteMediaHost } from './remoteMediaHost';
import type { SipTrace } from './sipTrace';

/** Name of the SIP password in the SecretStore. */
export const SIP_PASSWORD_SECRET = 'sip.password';

/** Settings whose change re-creates the user agent (the account itself). */
const ACCOUNT_KEYS: SettingKey[] = ['sip.uri', 'sip.authUser', 'sip.server', 'sip.displayName', 'sip.registerExpires', 'sip.tlsCaFile'];

/** The invoke channels the phone serves. */
export type PhoneChannel =
  | 'phone:state'
  | 'phone:register'
  | 'phone:set-password'
  | 'call:dial'
  | 'call:answer'
  | 'call:reject'
  | 'call:hangup'
  | 'call:hold'
  | 'call:resume'
  | 'call:mute'
  | 'call:dtmf'
  | 'call:dtmf-received'
  | 'call:transfer-blind'
  | 'call:transfer-attended'
  | 'call:swap'
  | 'media:respond'
  | 'media:ready';

/** What the controller needs from the core. */
export interface PhoneControllerDeps {
  settings: SettingsService;
  secrets: SecretStore;
  events: CoreEvents;
  /** The core bus the phone reports call lifecycle events on (./callEvents.ts). */
  bus: CoreBus;
  clock: Clock;
  /** Timers of the phone and the media channel; the real timers when absent. */
  scheduler?: Scheduler;
  logger: Logger;
  network?: NetworkMonitor;
  timing?: Partial<PhoneTiming>;
  /** Timeout of one media request to the renderer (ms). */
  mediaTimeoutMs?: number;
  /** Stable SIP instance id of this data directory (RFC 5626 `+sip.instance`). */
  instanceId?: string;
  /** The SIP messages of the last minutes, for the diagnostics bundle. */
  sipTrace?: SipTrace;
  /** Offered every INVITE first (monitoring legs): see PhoneServiceOptions.takeInvite. */
  takeInvite?: (invitation: Invitation) => boolean;
}

/**
 * Owns the phone inside the core: builds a {@link PhoneService} only when a SIP account is
 * configured (sip.uri + sip.server), re-creates it when the account settings or the password
 * change, pushes `phone:state`, and bridges the media channel (`media:request` / `media:respond` /
 * `media:ready`) to the renderer's media engine.
 */
export class PhoneController {
  /** The media channel to the renderer (remote SessionDescriptionHandler backend). */
  readonly media: RemoteMediaHost;
  private service: PhoneService | null = null;
  private accountKey = '';
  private closed = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly unsubscribes: (() => void)[] = [];
  private deferred: (() => void) | null = null;

  constructor(private readonly deps: PhoneControllerDeps) {
    this.media = new RemoteMediaHost({
      send: (request) => deps.events.emit('media:request', request),
      logger: deps.logger.child('media'),
      ...(deps.scheduler ? { scheduler: deps.scheduler } : {}),
      ...(deps.mediaTimeoutMs !== undefined ? { timeoutMs: deps.mediaTimeoutMs } : {}),
    });
    this.unsubscribes.push(
      this.media.onReady((_hostId, renegotiate) => {
        if (renegotiate) this.service?.mediaRestarted();
        this.emit();
      }),
      deps.settings.onChange(() => {
        if (this.currentAccountKey() !== this.accountKey) this.restartWhenIdle('account settings changed');
        else this.service?.touch();
      }),
    );
  }

  /** Starts the phone when an account is configured; otherwise publishes `unconfigured`. */
  start(): Promise<void> {
    return this.restart('start');
  }

  /** The running service, if any (tests, CTI). */
  get phone(): PhoneService | null {
    return this.service;
  }

  /** The phone snapshot pushed on `phone:state`. */
  state(): PhoneState {
    if (this.service) return this.service.state();
    return {
      registration: { state: 'unconfigured', aor: this.deps.settings.get('sip.uri'), since: this.deps.clock.now(), attempt: 0 },
      calls: [],
      doNotDisturb: this.deps.settings.get('sip.doNotDisturb'),
      mediaReady: this.media.isReady,
    };
  }

  /** Stops the phone (hangs up, unregisters) and the media channel. */
  async close(): Promise<void> {
    this.closed = true;
    for (const u of this.unsubscribes) u();
    await this.chain;
    await this.service?.stop();
    this.service = null;
    this.media.failAll('core closing');
  }

  /** Invoke handlers for the phone, call and media channels. */
  handlers(): Pick<InvokeHandlers, PhoneChannel> {
    return {
      'phone:state': () => this.state(),
      'phone:register': async () => {
        if (!this.service) await this.restart('register requested');
        else await this.service.register();
        return this.state();
      },
      'phone:set-password': async ({ password }) => {
        await this.deps.secrets.set(SIP_PASSWORD_SECRET, password);
        await this.restart('password changed');
        return { warning: this.deps.secrets.warning };
      },
      'call:dial': ({ target, headers }) => this.require().dial(target, headers ?? {}),
      'call:answer': ({ callId }) => this.require().answer(callId),
      'call:reject': ({ callId, code }) => this.require().reject(callId, code),
      'call:hangup': ({ callId }) => this.require().hangup(callId),
      'call:hold': ({ callId }) => this.require().hold(callId),
      'call:resume': ({ callId }) => this.require().resume(callId),
      'call:mute': ({ callId, muted }) => this.require().mute(callId, muted),
      'call:dtmf': ({ callId, tones }) => this.require().dtmf(callId, tones),
      'call:dtmf-received': ({ callId, digit }) => this.require().dtmfHeard(callId, digit),
      'call:transfer-blind': ({ callId, target }) => this.require().transferBlind(callId, target),
      'call:transfer-attended': ({ callId, consultCallId }) => this.require().transferAttended(callId, consultCallId),
      'call:swap': ({ callId }) => this.require().swap(callId),
      'media:respond': (response) => ({ accepted: this.media.respond(response) }),
      'media:ready': ({ hostId }) => {
        const before = this.service?.state().calls.filter((c) => c.state === 'active' || c.state === 'held').length ?? 0;
        this.media.ready(hostId);
        return { renegotiating: before };
      },
    };
  }

  /** A media statistics sample of a call (the renderer's `call:quality`): feeds the call's media watchdog. */
  mediaSample(callId: string, sample: QualitySample): void {
    this.service?.mediaSample(callId, sample);
  }

  private require(): PhoneService {
    if (!this.service) throw new AppError('UNAVAILABLE', 'No SIP account is configured');
    return this.service;
  }

  private behaviour(): PhoneBehaviour {
    const s = this.deps.settings;
    return {
      dtmfMethod: s.get('sip.dtmfMethod'),
      autoAnswer: {
        enabled: s.get('sip.autoAnswer.enabled'),
        delaySeconds: s.get('sip.autoAnswer.delaySeconds'),
        honourCallInfo: s.get('sip.autoAnswer.honourCallInfo'),
      },
      doNotDisturb: s.get('sip.doNotDisturb'),
      rejectCode: s.get('sip.rejectCode'),
      ringTimeoutSeconds: s.get('sip.ringTimeoutSeconds'),
      mediaTimeoutSeconds: s.get('sip.mediaTimeoutSeconds'),
      mappedHeaders: s.get('sip.mappedHeaders'),
    };
  }

  /**
   * The extra CA of `sip.tlsCaFile` (PEM), or undefined when unset. An unreadable file is logged and
   * ignored: certificates are then checked against the built-in store only (never switched off).
   */
  private async readCaFile(file: string): Promise<string | undefined> {
    if (!file) return undefined;
    try {
      const pem = await readFile(file, 'utf8');
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate in the file');
      return pem;
    } catch (err) {
      this.deps.logger.error('sip.tlsCaFile unusable: only the built-in CAs are trusted', { file, error: (err as Error).message });
      return undefined;
    }
  }

  private currentAccountKey(): string {
    return JSON.stringify(ACCOUNT_KEYS.map((k) => this.deps.settings.get(k)));
  }

  /** Re-registers with the stored account and password (now, or after the last live call). */
  reloadAccount(why: string): void {
    this.restartWhenIdle(why);
  }

  /** Restarts now, or once the last live call ended: an account edit must not drop a call. */
  private restartWhenIdle(why: string): void {
    const service = this.service;
    const busy = () => service?.state().calls.some((c) => c.state !== 'ended') ?? false;
    if (!busy()) {
      void this.restart(why);
      return;
    }
    if (this.deferred) return;
    this.deps.logger.info('account changed during a call: restarting the phone after the last call', { why });
    this.deferred = service!.onState(() => {
      if (busy() || this.service !== service) return;
      this.deferred?.();
      this.deferred = null;
      if (this.currentAccountKey() !== this.accountKey) void this.restart(why);
    });
  }

  private restart(why: string): Promise<void> {
    this.chain = this.chain.then(() => this.doRestart(why)).catch((err: Error) => {
      this.deps.logger.error('phone restart failed', { why, error: err.message });
      this.emit();
    });
    return this.chain;
  }

  private async doRestart(why: string): Promise<void> {
    if (this.closed) return;
    this.deferred?.();
    this.deferred = null;
    const old = this.service;
    this.service = null;
    if (old) await old.stop();
    this.accountKey = this.currentAccountKey();
    const s = this.deps.settings;
    const uri = s.get('sip.uri');
    const server = s.get('sip.server');
    if (!uri || !server) {
      this.deps.logger.info('phone not configured (sip.uri / sip.server empty)');
      this.emit();
      return;
    }
    const account: PhoneAccount = {
      uri,
      server,
      authUser: s.get('sip.authUser'),
      displayName: s.get('sip.displayName'),
      registerExpires: s.get('sip.registerExpires'),
      password: (await this.deps.secrets.get(SIP_PASSWORD_SECRET)) ?? '',
    };
    const tlsExtraCaPem = await this.readCaFile(s.get('sip.tlsCaFile'));
    const service = new PhoneService({
      account,
      behaviour: () => this.behaviour(),
      media: this.media,
      clock: this.deps.clock,
      logger: this.deps.logger,
      mediaReady: () => this.media.isReady,
      bus: this.deps.bus,
      ...(this.deps.scheduler ? { scheduler: this.deps.scheduler } : {}),
      ...(this.deps.instanceId ? { instanceId: this.deps.instanceId } : {}),
      ...(this.deps.takeInvite ? { takeInvite: this.deps.takeInvite } : {}),
      ...(this.deps.network ? { network: this.deps.network } : {}),
      ...(this.deps.timing ? { timing: this.deps.timing } : {}),
      sipLogLevel: s.get('log.level') === 'debug' ? 'log' : 'warn',
      ...(this.deps.sipTrace ? { sipTrace: this.deps.sipTrace } : {}),
      ...(tlsExtraCaPem ? { tlsExtraCaPem } : {}),
    });
    this.service = service;
    service.onState((state) => this.deps.events.emit('phone:state', state));
    this.deps.logger.info('phone starting', { why, aor: uri, server });
    await service.start();
  }

  private emit(): void {
    this.deps.events.emit('phone:state', this.state());
  }
}
