import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../electron/core/createCore';
import type { PhoneState } from '../../../../shared/phone/call';
import { createTestCore } from '../../../helpers/testCore';

const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
});

/** A loopback port nobody listens on: connecting is refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function next(core: Core, pred: (s: PhoneState) => boolean): Promise<PhoneState> {
  return new Promise((resolve) => {
    if (pred(core.phone.state())) return resolve(core.phone.state());
    const off = core.events.on('phone:state', (s) => {
      if (pred(s)) {
        off();
        resolve(s);
      }
    });
  });
}

describe('PhoneController in the core', () => {
  it('starts the phone only once an account is configured, and restarts it when the account changes', async () => {
    const { core } = await createTestCore();
    cores.push(core);
    expect(core.phone.phone).toBeNull();
    expect(core.phone.state().registration.state).toBe('unconfigured');

    await core.phone.handlers()['phone:set-password']({ password: 'secret' });
    expect(core.phone.phone).toBeNull();

    const port = await closedPort();
    core.settings.set('sip.uri', 'sip:1001@calldesk.test');
    core.settings.set('sip.server', `ws://127.0.0.1:${port}`);
    const down = await next(core, (s) => s.registration.state === 'disconnected');
    expect(down.registration).toMatchObject({ reason: 'network', aor: 'sip:1001@calldesk.test' });
    expect(down.registration.nextAttemptAt).toBeGreaterThan(Date.now() - 1000);
    const first = core.phone.phone;
    expect(first).not.toBeNull();

    core.settings.set('sip.displayName', 'Agent One');
    await next(core, () => core.phone.phone !== null && core.phone.phone !== first);

    core.settings.set('sip.server', '');
    await next(core, (s) => s.registration.state === 'unconfigured');
    expect(core.phone.phone).toBeNull();
  });

  it('answers call channels with UNAVAILABLE when no account is configured and refuses bad settings', async () => {
    const { core } = await createTestCore();
    cores.push(core);
    const r = await core.dispatcher.invoke('call:hangup', { callId: 'x' }, { transport: 'ws' });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(() => core.settings.set('sip.server', 'http://pbx.example')).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => core.settings.set('sip.uri', 'not a uri')).toThrow(/SIP URI/);
    expect(() => core.settings.set('sip.mappedHeaders', ['X-Queue', 'bad header'])).toThrow(/header name/);
  });
});
