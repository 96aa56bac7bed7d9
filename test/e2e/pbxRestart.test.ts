import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentTotalInbound, bytesDuring, openAgent } from '../helpers/agentPage';
import { restartPbx } from '../helpers/pbxControl';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

let rig: TelephonyRig;
beforeAll(async () => {
  rig = await startTelephonyRig();
});
afterAll(async () => {
  await rig?.close();
});

describe('a PBX restart during a call (Kamailio + Chromium)', () => {
  it('media keeps flowing both ways, the card stays truthful, and hang-up still reaches the customer', async () => {
    const a = await openAgent(rig.browser, { wsUrl: rig.pbx.wsUrl, user: '1003', password: 'pw1003' });
    const c = await rig.customer('2006');
    try {
      await c.call('1003');
      const card = a.page.getByTestId('call-card');
      await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('ringing');
      await card.getByTestId('call-answer').click();
      await expect.poll(() => c.state(), { timeout: 10_000 }).toBe('Established');
      await expect.poll(() => bytesDuring(() => agentTotalInbound(a.page)), { timeout: 10_000 }).toBeGreaterThan(1000);

      rig.pbx = await restartPbx(rig.pbx);
      await c.reconnect();
      // The agent's phone reconnects and registers again by itself.
      await a.page.getByTestId('status-registration').filter({ hasText: 'Registered' }).waitFor({ timeout: 30_000 });
      // Media never depended on the signalling path: it keeps flowing both ways, for good.
      for (let i = 0; i < 6; i++) {
        expect(await bytesDuring(() => agentTotalInbound(a.page))).toBeGreaterThan(1000);
        expect(await bytesDuring(() => c.inboundBytes())).toBeGreaterThan(1000);
      }
      expect(await card.getAttribute('data-call-state')).toBe('active');
      expect(await card.getByTestId('call-media-silent').count()).toBe(0);

      await card.getByTestId('call-hangup').click();
      await expect.poll(() => c.state(), { timeout: 10_000 }).toBe('Terminated');
      await expect.poll(() => a.page.getByTestId('call-card').count(), { timeout: 10_000 }).toBe(0);
      expect(await a.page.getByTestId('recent-call').first().getAttribute('data-end-reason')).toBe('local-hangup');
    } finally {
      await c.close();
      await a.close();
    }
  }, 120_000);

  it('a re-INVITE the restarted PBX cannot deliver (hold) fails without touching the working media', async () => {
    const a = await openAgent(rig.browser, { wsUrl: rig.pbx.wsUrl, user: '1009', password: 'pw1009' });
    const c = await rig.customer('2009');
    try {
      await c.call('1009');
      const card = a.page.getByTestId('call-card');
      await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('ringing');
      await card.getByTestId('call-answer').click();
      await expect.poll(() => c.state(), { timeout: 10_000 }).toBe('Established');
      await expect.poll(() => bytesDuring(() => c.inboundBytes()), { timeout: 10_000 }).toBeGreaterThan(1000);

      rig.pbx = await restartPbx(rig.pbx);
      await a.page.getByTestId('status-registration').filter({ hasText: 'Registered' }).waitFor({ timeout: 30_000 });
      // The customer has not reconnected: the PBX cannot reach it, so the hold re-INVITE is refused.
      await card.getByTestId('call-hold').click();
      await expect.poll(() => a.host.output().includes('re-INVITE failed'), { timeout: 30_000 }).toBe(true);
      expect(await card.getAttribute('data-call-state')).toBe('active');
      // The refused offer was rolled back: the agent's microphone still reaches the customer, and back.
      for (let i = 0; i < 4; i++) {
        expect(await bytesDuring(() => c.inboundBytes())).toBeGreaterThan(1000);
        expect(await bytesDuring(() => agentTotalInbound(a.page))).toBeGreaterThan(1000);
      }
    } finally {
      await c.close();
      await a.close();
    }
  }, 120_000);
});
