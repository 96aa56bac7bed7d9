import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pickPorts, startPbx, type RunningPbx } from '../../scripts/pbx.mjs';
import { CoreBus } from '../../electron/core/bus/coreBus';
import { createLogRoot, createMemorySink, type LogRecord } from '../../electron/core/log/logger';
import { ManualNetworkMonitor } from '../../electron/core/adapters/network';
import { PhoneService, type PhoneBehaviour, type PhoneTiming } from '../../electron/core/phone/phoneService';
import { RemoteMediaHost } from '../../electron/core/phone/remoteMediaHost';
import type { CallSnapshot, PhoneState } from '../../shared/phone/call';
import { serveMediaRequest } from '../../shared/phone/mediaHost';
import { FakeMediaHost } from '../fakes/fakeMediaHost';

/**
 * Starts a real Kamailio on free loopback ports in a temp folder (with rtpengine beside it when
 * installed; `rtpengine: true` requires it).
 */
export async function startTestPbx(options: { rtpengine?: boolean } = {}): Promise<RunningPbx> {
  const ports = await pickPorts();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calldesk-pbx-'));
  return startPbx({ ...ports, dir, ...options });
}

/** Default behaviour for test phones (short ring timeout, no auto-answer). */
export const TEST_BEHAVIOUR: PhoneBehaviour = {
  dtmfMethod: 'info',
  autoAnswer: { enabled: false, delaySeconds: 0, honourCallInfo: false },
  doNotDisturb: false,
  rejectCode: 486,
  ringTimeoutSeconds: 30,
  mappedHeaders: ['X-Queue', 'X-Account', 'X-IVR-Path'],
};

/** One Node softphone on the test PBX, with its fake media host and logs. */
export interface TestPhone {
  user: string;
  service: PhoneService;
  media: FakeMediaHost;
  remoteMedia: RemoteMediaHost;
  network: ManualNetworkMonitor;
  /** The core bus the phone reports call lifecycle events on. */
  bus: CoreBus;
  logs: LogRecord[];
  behaviour: PhoneBehaviour;
  /** Resolves with the first state that satisfies pred (checked now and on every change). */
  waitFor(pred: (s: PhoneState) => boolean, what: string, timeoutMs?: number): Promise<PhoneState>;
  /** Resolves with the first call that satisfies pred. */
  waitForCall(pred: (c: CallSnapshot) => boolean, what: string, timeoutMs?: number): Promise<CallSnapshot>;
  stop(): Promise<void>;
}

/**
 * Builds a PhoneService for `user` on the PBX. The media host is reached through the real
 * request/response channel (RemoteMediaHost -> serveMediaRequest -> FakeMediaHost).
 */
export function createTestPhone(
  pbx: { wsUrl: string },
  user: string,
  password: string,
  opts: { behaviour?: Partial<PhoneBehaviour>; timing?: Partial<PhoneTiming>; displayName?: string; expires?: number; sipLogLevel?: 'debug' | 'log' | 'warn' | 'error'; tlsExtraCaPem?: string } = {},
): TestPhone {
  const sink = createMemorySink(5000);
  const root = createLogRoot([sink], 'debug');
  const media = new FakeMediaHost();
  const behaviour: PhoneBehaviour = structuredClone({ ...TEST_BEHAVIOUR, ...opts.behaviour });
  const remoteMedia: RemoteMediaHost = new RemoteMediaHost({
    logger: root.createLogger('media'),
    timeoutMs: 5000,
    send: (req) => {
      void serveMediaRequest(media, req).then((res) => {
        if (res) remoteMedia.respond(res);
      });
    },
  });
  remoteMedia.ready('node-fake');
  const network = new ManualNetworkMonitor();
  const bus = new CoreBus();
  const service = new PhoneService({
    account: {
      uri: `sip:${user}@calldesk.test`,
      authUser: user,
      password,
      server: pbx.wsUrl,
      displayName: opts.displayName ?? `User ${user}`,
      registerExpires: opts.expires ?? 300,
    },
    behaviour: () => behaviour,
    media: remoteMedia,
    clock: { now: () => Date.now() },
    logger: root.createLogger(`phone.${user}`),
    network,
    ...(opts.timing ? { timing: opts.timing } : {}),
    mediaReady: () => remoteMedia.isReady,
    bus,
    sipLogLevel: opts.sipLogLevel ?? 'warn',
    ...(opts.tlsExtraCaPem ? { tlsExtraCaPem: opts.tlsExtraCaPem } : {}),
  });
  remoteMedia.onReady((_id, renegotiate) => {
    if (renegotiate) service.mediaRestarted();
  });
  const waitFor = (pred: (s: PhoneState) => boolean, what: string, timeoutMs = 10_000): Promise<PhoneState> =>
    new Promise((resolve, reject) => {
      const now = service.state();
      if (pred(now)) return resolve(now);
      // Some conditions (fake media, logs) change without a state event: poll as well.
      const poll = setInterval(() => {
        const st = service.state();
        if (pred(st)) {
          clearTimeout(timer);
          clearInterval(poll);
          off();
          resolve(st);
        }
      }, 50);
      const timer = setTimeout(() => {
        clearInterval(poll);
        off();
        reject(new Error(`${user}: timed out after ${timeoutMs} ms waiting for ${what}; state ${JSON.stringify(service.state())}`));
      }, timeoutMs);
      const off = service.onState((s) => {
        if (pred(s)) {
          clearTimeout(timer);
          clearInterval(poll);
          off();
          resolve(s);
        }
      });
    });
  const waitForCall = async (pred: (c: CallSnapshot) => boolean, what: string, timeoutMs?: number) => {
    const s = await waitFor((st) => st.calls.some(pred), what, timeoutMs);
    return s.calls.find(pred) as CallSnapshot;
  };
  return {
    user,
    service,
    media,
    remoteMedia,
    network,
    bus,
    logs: sink.records,
    behaviour,
    waitFor,
    waitForCall,
    stop: () => service.stop(),
  };
}

/** Resets behaviour changed by a test. */
export const startTestPhone = { behaviourDefaults: TEST_BEHAVIOUR };

/** Creates and registers a phone; resolves once it is registered. */
export async function registeredPhone(pbx: { wsUrl: string }, user: string, opts: Parameters<typeof createTestPhone>[3] = {}): Promise<TestPhone> {
  const phone = createTestPhone(pbx, user, `pw${user}`, opts);
  await phone.service.start();
  await phone.waitFor((s) => s.registration.state === 'registered', 'registered');
  return phone;
}
