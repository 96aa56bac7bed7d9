import { afterAll, describe, expect, it } from 'vitest';
import { openAgent, sipEnv } from '../helpers/agentPage';
import { startHostProcess, tempDataDir } from '../helpers/hostProcess';
import { pbxBindings } from '../helpers/pbxControl';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

let rig: TelephonyRig | undefined;
afterAll(async () => {
  await rig?.close();
});

describe('registration after repeated crashes of the desktop (real Kamailio)', () => {
  it('kill -9 of the host 20 times: one binding per installation, the next call rings in one place', async () => {
    rig = await startTelephonyRig();
    const pbx = rig.pbx;
    const dataDir = tempDataDir('agent-crash-');
    // First start as an agent would: save the password in the UI; then crash.
    const first = await openAgent(rig.browser, { wsUrl: pbx.wsUrl, user: '1008', password: 'pw1008', dataDir });
    await first.host.kill();
    await first.page.context().close();

    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const host = await startHostProcess({ dataDir, env: sipEnv(pbx.wsUrl, '1008') });
      // Registered again over this start's connection (a `received` address not seen before).
      await expect
        .poll(async () => (await pbxBindings(pbx, '1008')).some((b) => !seen.has(b.received)), { timeout: 20_000, interval: 100 })
        .toBe(true);
      for (const b of await pbxBindings(pbx, '1008')) seen.add(b.received);
      await host.kill();
    }

    const agent = await openAgent(rig.browser, { wsUrl: pbx.wsUrl, user: '1008', password: 'pw1008', dataDir });
    try {
      // The UI says Registered as soon as the 200 arrives; Kamailio may still be closing the last
      // killed host's connection on a loaded machine, so the count is read until it settles.
      await expect.poll(async () => (await pbxBindings(pbx, '1008')).length, { timeout: 20_000, interval: 200 }).toBe(1);
      const bindings = await pbxBindings(pbx, '1008');
      expect(bindings).toHaveLength(1);
      expect(bindings[0]!.instance).toMatch(/^<urn:uuid:[0-9a-f-]{36}>$/);
      expect(bindings[0]!.regId).toBe(1);

      const customer = await rig.customer('2008');
      try {
        await customer.call('1008');
        const card = agent.page.getByTestId('call-card');
        await expect.poll(() => card.getAttribute('data-call-state').catch(() => null), { timeout: 15_000 }).toBe('ringing');
        await expect.poll(() => customer.state(), { timeout: 10_000 }).toBe('Establishing');
      } finally {
        await customer.close();
      }
    } finally {
      await agent.close();
    }
  }, 300_000);
});
