import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPbx } from '../../../scripts/pbx.mjs';
import type { Core } from '../../../electron/core/createCore';
import type { PhoneState } from '../../../shared/phone/call';
import { serveMediaRequest } from '../../../shared/phone/mediaHost';
import type { Result } from '../../../shared/api/result';
import { FakeMediaHost } from '../../fakes/fakeMediaHost';
import { registeredPhone, startTestPbx, type TestPhone } from '../../helpers/phoneHarness';
import { createTestCore } from '../../helpers/testCore';

let pbx: RunningPbx;
let customer: TestPhone;
const cores: Core[] = [];

beforeAll(async () => {
  pbx = await startTestPbx();
  customer = await registeredPhone(pbx, '2001');
});

afterAll(async () => {
  for (const c of cores) await c.close().catch(() => undefined);
  await customer?.stop().catch(() => undefined);
  await pbx?.stop();
});

const meta = { transport: 'ws' as const };

async function invoke<T>(core: Core, channel: string, payload?: unknown): Promise<T> {
  const r = (await core.dispatcher.invoke(channel, payload, meta)) as Result<T>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

function waitForPhone(core: Core, pred: (s: PhoneState) => boolean, what: string, timeoutMs = 10_000): Promise<PhoneState> {
  return new Promise((resolve, reject) => {
    const off = core.events.on('phone:state', (s) => {
      if (pred(s)) {
        clearTimeout(timer);
        off();
        resolve(s);
      }
    });
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(core.phone.state().registration)}`));
    }, timeoutMs);
    const now = core.phone.state();
    if (pred(now)) {
      clearTimeout(timer);
      off();
      resolve(now);
    }
  });
}

describe('the phone inside the core (createCore), over the API contract', () => {
  it('stays unconfigured without a SIP account', async () => {
    const { core } = await createTestCore();
    cores.push(core);
    const s = await invoke<PhoneState>(core, 'phone:state');
    expect(s.registration.state).toBe('unconfigured');
    const dial = await core.dispatcher.invoke('call:dial', { target: '2001' }, meta);
    expect(dial).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('registers once the password is set, takes a call through the media channel, answers and hangs up', async () => {
    const { core, logs } = await createTestCore({ env: { CALLDESK_SIP_URI: 'sip:1001@calldesk.test', CALLDESK_SIP_SERVER: pbx.wsUrl } });
    cores.push(core);
    const noPassword = await waitForPhone(core, (s) => s.registration.state === 'failed', 'failed without a password');
    expect(noPassword.registration.reason).toBe('no-password');

    const stored = await invoke<{ warning: string | null }>(core, 'phone:set-password', { password: 'pw1001' });
    expect(stored.warning).toBeNull();
    await waitForPhone(core, (s) => s.registration.state === 'registered', 'registered');
    expect(JSON.stringify(logs)).not.toContain('pw1001');

    // No media engine yet (renderer not connected): calls are refused with a clear error.
    const early = await core.dispatcher.invoke('call:dial', { target: '2001' }, meta);
    expect(early).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('media engine') } });
    expect(core.phone.state().mediaReady).toBe(false);

    // The renderer's role: serve media:request with a media host and answer on media:respond.
    const media = new FakeMediaHost();
    core.events.on('media:request', (req) => {
      void serveMediaRequest(media, req).then((res) => {
        if (res) void core.dispatcher.invoke('media:respond', res, meta);
      });
    });
    await invoke(core, 'media:ready', { hostId: 'renderer-1' });
    expect(core.phone.state().mediaReady).toBe(true);

    await customer.service.dial('1001', { 'X-Queue': 'vip' });
    const ringing = await waitForPhone(core, (s) => s.calls.some((c) => c.state === 'ringing'), 'ringing');
    const call = ringing.calls.find((c) => c.state === 'ringing')!;
    expect(call.remote.number).toBe('2001');
    expect(call.headers['X-Queue']).toBe('vip');

    await invoke(core, 'call:answer', { callId: call.id });
    await waitForPhone(core, (s) => s.calls.some((c) => c.id === call.id && c.state === 'active'), 'active');
    expect(media.sessions.get(call.id)?.localSdp).toContain('m=audio');

    const bad = await core.dispatcher.invoke('call:dtmf', { callId: call.id, tones: 'not dtmf' }, meta);
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const unknown = await core.dispatcher.invoke('call:hold', { callId: 'nope' }, meta);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    // Renderer reload: a new media host id makes the core re-INVITE the established call.
    const before = media.sessions.get(call.id)?.descriptions ?? 0;
    const r = await invoke<{ renegotiating: number }>(core, 'media:ready', { hostId: 'renderer-2' });
    expect(r.renegotiating).toBe(1);
    await customer.waitFor(() => (media.sessions.get(call.id)?.descriptions ?? 0) > before, 'new offer after reload');

    // An account edit during a call waits for the call to end (no dropped call).
    const running = core.phone.phone;
    core.settings.set('sip.displayName', 'Agent 1001');
    expect(core.phone.phone).toBe(running);
    expect(core.phone.state().calls.find((c) => c.id === call.id)?.state).toBe('active');

    await invoke(core, 'call:hangup', { callId: call.id });
    const ended = await waitForPhone(core, (s) => s.calls.some((c) => c.id === call.id && c.state === 'ended'), 'ended');
    expect(ended.calls.find((c) => c.id === call.id)?.end?.reason).toBe('local-hangup');
    await waitForPhone(core, (s) => core.phone.phone !== running && s.registration.state === 'registered', 'restarted with the new account settings');

    await core.close();
    cores.pop();
  });
});
