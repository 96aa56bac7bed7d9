import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentTotalInbound, bytesDuring, openAgent, type Agent } from '../helpers/agentPage';
import type { SipPeer } from '../helpers/sipPeer/driver';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

// Dead calls (issue 17): the customer's client vanishes without BYE; the agent's call must end by itself.
const ZHANG_WEI_PAI = 'P-Asserted-Identity: <sip:+8675588881234@calldesk.test>';
const MEDIA_TIMEOUT_S = 6;
const ENV = { CALLDESK_DEMO: '1', CALLDESK_DEMO_CUSTOMERS: '20', CALLDESK_SIP_MEDIA_TIMEOUT_SECONDS: String(MEDIA_TIMEOUT_S) };

let rig: TelephonyRig;
const cleanup: (() => Promise<void>)[] = [];
beforeAll(async () => {
  rig = await startTelephonyRig();
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(async () => {
  await rig?.close();
});

async function agent(user: string): Promise<Agent> {
  const a = await openAgent(rig.browser, { wsUrl: rig.pbx.wsUrl, user, password: `pw${user}`, env: ENV });
  cleanup.push(() => a.close());
  await a.page.getByTestId('nav-customers').click();
  return a;
}
async function customer(user: string): Promise<SipPeer> {
  const p = await rig.customer(user);
  cleanup.push(() => p.close());
  return p;
}
const agentState = (page: Page) => page.getByTestId('agent-state').getAttribute('data-state', { timeout: 1000 }).catch(() => null);

/** 张伟 calls the agent, who answers on the pop; resolves once audio flows both ways. */
async function talking(a: Agent, c: SipPeer, user: string): Promise<void> {
  await c.call(user, [ZHANG_WEI_PAI]);
  const pop = a.page.getByTestId('pop-card');
  await expect.poll(() => pop.getByTestId('pop-name').innerText(), { timeout: 10_000 }).toBe('张伟');
  await pop.getByTestId('pop-answer').click();
  await expect.poll(() => c.state(), { timeout: 10_000 }).toBe('Established');
  await expect.poll(() => bytesDuring(() => agentTotalInbound(a.page)), { timeout: 10_000 }).toBeGreaterThan(1000);
  await expect.poll(() => bytesDuring(() => c.inboundBytes()), { timeout: 10_000 }).toBeGreaterThan(1000);
}

describe('dead calls end by themselves (Kamailio + Chromium)', () => {
  it('the customer vanishes without BYE: warned, ended as media timeout at the last media, logged, wrap-up', async () => {
    const a = await agent('1004');
    const c = await customer('2004');
    await talking(a, c, '1004');

    const crashedAt = await c.crash();
    const card = a.page.getByTestId('call-card');
    // The agent is warned while the call is still up...
    await expect.poll(() => card.getByTestId('call-media-silent').count(), { timeout: MEDIA_TIMEOUT_S * 1000 }).toBe(1);
    expect(await card.getByTestId('call-media-silent').innerText()).toContain('No audio from the other party');
    // ...then the call ends by itself within the timeout + 5 s, and the agent goes to wrap-up.
    await expect.poll(() => agentState(a.page), { timeout: (MEDIA_TIMEOUT_S + 5) * 1000, interval: 200 }).toBe('wrap-up');
    const noticedAfter = Date.now() - crashedAt;
    expect(await card.count()).toBe(0);

    const recent = a.page.getByTestId('recent-call').first();
    expect(await recent.getAttribute('data-end-reason')).toBe('media-timeout');
    expect(await recent.innerText()).toContain('No audio (media timeout)');

    // The interaction ends when the media did, not when the timeout fired.
    const entry = a.page.getByTestId('pop-card').getByTestId('timeline-entry').first();
    await expect.poll(() => entry.getAttribute('data-end-reason'), { timeout: 10_000 }).toBe('media-timeout');
    const endedAt = Number(await entry.getAttribute('data-ended-at'));
    console.log(`media timeout: call ended ${noticedAfter} ms after the crash; logged end ${endedAt - crashedAt} ms from the crash`);
    expect(Math.abs(endedAt - crashedAt)).toBeLessThan(2000);
  }, 90_000);

  it('hold for longer than the media timeout does not end the call', async () => {
    const a = await agent('1005');
    const c = await customer('2005');
    await talking(a, c, '1005');
    const card = a.page.getByTestId('call-card');
    await card.getByTestId('call-hold').click();
    await expect.poll(() => card.getAttribute('data-call-state')).toBe('held');
    await new Promise((r) => setTimeout(r, (MEDIA_TIMEOUT_S + 4) * 1000));
    expect(await card.getAttribute('data-call-state')).toBe('held');
    expect(await card.getByTestId('call-media-silent').count()).toBe(0);
    await card.getByTestId('call-resume').click();
    await expect.poll(() => card.getAttribute('data-call-state')).toBe('active');
    await expect.poll(() => bytesDuring(() => c.inboundBytes()), { timeout: 10_000 }).toBeGreaterThan(1000);
    // Resumed: the whole timeout again before any verdict.
    await new Promise((r) => setTimeout(r, (MEDIA_TIMEOUT_S + 2) * 1000));
    expect(await card.getAttribute('data-call-state')).toBe('active');
    expect(await c.state()).toBe('Established');
    await card.getByTestId('call-hangup').click();
    await expect.poll(() => c.state(), { timeout: 10_000 }).toBe('Terminated');
    await expect.poll(() => a.page.getByTestId('recent-call').first().getAttribute('data-end-reason')).toBe('local-hangup');
  }, 90_000);
});
