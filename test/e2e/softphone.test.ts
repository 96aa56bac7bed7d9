import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentTotalInbound, bytesDuring, openAgent, type Agent } from '../helpers/agentPage';
import type { SipPeer } from '../helpers/sipPeer/driver';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

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

async function agent(user = '1001', env: Record<string, string> = {}): Promise<Agent> {
  const a = await openAgent(rig.browser, { wsUrl: rig.pbx.wsUrl, user, password: `pw${user}`, env });
  cleanup.push(() => a.close());
  return a;
}
async function customer(user: string, extra: Parameters<TelephonyRig['customer']>[1] = {}): Promise<SipPeer> {
  const p = await rig.customer(user, extra);
  cleanup.push(() => p.close());
  return p;
}

describe('softphone end to end (Kamailio + Chromium)', () => {
  it('inbound call: ringing with the number, answer, audio both ways, hold/resume, DTMF, remote hang-up', async () => {
    const a = await agent('1001', { CALLDESK_SIP_DTMF_METHOD: 'info' });
    const c = await customer('2001');
    await c.call('1001', ['X-Queue: vip']);
    const card = a.page.getByTestId('call-card');
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('ringing');
    expect(await card.getByTestId('call-remote').innerText()).toContain('Customer 2001');
    expect(await card.innerText()).toContain('2001');
    expect(await card.getByTestId('call-header-X-Queue').innerText()).toContain('vip');
    await card.getByTestId('call-answer').click();
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');

    await expect.poll(() => bytesDuring(() => c.inboundBytes()), { timeout: 10_000 }).toBeGreaterThan(1000);
    await expect.poll(() => bytesDuring(() => agentTotalInbound(a.page)), { timeout: 10_000 }).toBeGreaterThan(1000);

    await card.getByTestId('call-hold').click();
    await expect.poll(() => card.getAttribute('data-call-state')).toBe('held');
    await expect.poll(() => bytesDuring(() => c.inboundBytes()), { timeout: 10_000 }).toBeLessThan(200);
    await card.getByTestId('call-resume').click();
    await expect.poll(() => card.getAttribute('data-call-state')).toBe('active');
    await expect.poll(() => bytesDuring(() => c.inboundBytes()), { timeout: 10_000 }).toBeGreaterThan(1000);

    await card.getByTestId('call-keypad').click();
    await a.page.getByTestId('dtmf-7').click();
    await a.page.getByTestId('dtmf-#').click();
    await expect.poll(async () => (await c.events()).filter((e) => e.kind === 'dtmf-info').map((e) => e.detail).join(''), { timeout: 10_000 }).toBe('7#');

    await c.hangup();
    await expect.poll(() => a.page.getByTestId('call-card').count(), { timeout: 10_000 }).toBe(0);
  });

  it('outbound: answered then hung up by the agent, busy (486) and no answer each end with the right reason', async () => {
    const a = await agent('1002', { CALLDESK_SIP_RING_TIMEOUT_SECONDS: '5' });
    const answering = await customer('2002', { autoAnswerMs: 300 });
    await customer('2003', { autoRejectCode: 486 });
    await customer('2004');
    const dial = async (n: string) => {
      await a.page.getByTestId('dial-input').fill(n);
      await a.page.getByTestId('dial-button').click();
    };
    await dial('2002');
    const card = a.page.getByTestId('call-card');
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
    await expect.poll(() => bytesDuring(() => answering.inboundBytes()), { timeout: 10_000 }).toBeGreaterThan(1000);
    await expect.poll(() => bytesDuring(() => agentTotalInbound(a.page)), { timeout: 10_000 }).toBeGreaterThan(1000);
    await card.getByTestId('call-hangup').click();
    await expect.poll(() => answering.state(), { timeout: 10_000 }).toBe('Terminated');

    const recent = a.page.getByTestId('recent-call');
    await dial('2003');
    await expect.poll(() => recent.first().getAttribute('data-end-reason').catch(() => null), { timeout: 10_000 }).toBe('busy');
    await dial('2004');
    await expect.poll(() => recent.evaluateAll((els) => els.map((e) => e.getAttribute('data-end-reason'))), { timeout: 20_000 }).toEqual([
      'no-answer',
      'busy',
      'local-hangup',
    ]);
  });

  it('blind transfer: the customer ends up talking to the third party with audio both ways', async () => {
    const a = await agent('1003');
    const c = await customer('2005');
    const third = await customer('2006', { autoAnswerMs: 200 });
    await c.call('1003');
    const card = a.page.getByTestId('call-card');
    await card.getByTestId('call-answer').click();
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
    await card.getByTestId('call-transfer').click();
    await a.page.getByTestId('transfer-target').fill('2006');
    await a.page.getByTestId('transfer-blind').click();
    await expect.poll(async () => (await third.events()).some((e) => e.kind === 'incoming' && e.detail === '2005'), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => bytesDuring(() => third.inboundBytes()), { timeout: 15_000 }).toBeGreaterThan(1000);
    await expect.poll(() => bytesDuring(() => c.inboundBytes()), { timeout: 15_000 }).toBeGreaterThan(1000);
    await expect.poll(() => a.page.getByTestId('call-card').count(), { timeout: 10_000 }).toBe(0);
  });

  it('attended transfer: consult the third party, then transfer; customer and third party talk', async () => {
    const a = await agent('1004');
    const c = await customer('2007');
    const third = await customer('2008', { autoAnswerMs: 200 });
    await c.call('1004');
    const first = a.page.locator('[data-testid=call-card]').first();
    await first.getByTestId('call-answer').click();
    await expect.poll(() => first.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
    await first.getByTestId('call-transfer').click();
    await a.page.getByTestId('transfer-target').fill('2008');
    await a.page.getByTestId('transfer-consult').click();
    await expect.poll(() => a.page.locator('[data-call-state=active]').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => a.page.locator('[data-call-state=held]').count(), { timeout: 10_000 }).toBe(1);
    await a.page.locator('[data-call-state=held]').getByTestId('transfer-complete').click();
    await expect.poll(async () => (await third.events()).filter((e) => e.kind === 'incoming').length, { timeout: 15_000 }).toBe(2);
    await expect.poll(() => bytesDuring(() => third.inboundBytes()), { timeout: 15_000 }).toBeGreaterThan(1000);
    await expect.poll(() => bytesDuring(() => c.inboundBytes()), { timeout: 15_000 }).toBeGreaterThan(1000);
    await expect.poll(() => a.page.getByTestId('call-card').count(), { timeout: 10_000 }).toBe(0);
  });

  it('call waiting: the second call rings distinctly, answering it holds the first, swap, hang up both', async () => {
    const a = await agent('1005');
    const c1 = await customer('2009');
    const c2 = await customer('2001');
    await c1.call('1005');
    const byRemote = (n: string) => a.page.locator(`[data-testid=call-card][data-remote="${n}"]`);
    await byRemote('2009').getByTestId('call-answer').click();
    await expect.poll(() => byRemote('2009').getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
    await expect(a.page.getByTestId('ringer').getAttribute('data-tone')).resolves.toBe('none');
    await c2.call('1005');
    await expect.poll(() => byRemote('2001').getAttribute('data-call-state'), { timeout: 10_000 }).toBe('ringing');
    await expect.poll(() => a.page.getByTestId('ringer').getAttribute('data-tone')).toBe('waiting');
    await byRemote('2001').getByTestId('call-answer').click();
    await expect.poll(() => byRemote('2001').getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
    await expect.poll(() => byRemote('2009').getAttribute('data-call-state')).toBe('held');
    await expect.poll(() => bytesDuring(() => c1.inboundBytes()), { timeout: 10_000 }).toBeLessThan(200);
    await byRemote('2009').getByTestId('call-swap').click();
    await expect.poll(() => byRemote('2009').getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
    await expect.poll(() => byRemote('2001').getAttribute('data-call-state')).toBe('held');
    await expect.poll(() => bytesDuring(() => c1.inboundBytes()), { timeout: 10_000 }).toBeGreaterThan(1000);
    await byRemote('2009').getByTestId('call-hangup').click();
    await byRemote('2001').getByTestId('call-hangup').click();
    await expect.poll(() => a.page.getByTestId('call-card').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => c1.state()).toBe('Terminated');
    await expect.poll(() => c2.state()).toBe('Terminated');
  });

  it('reload during a call: the call is never dropped and audio flows again both ways', async () => {
    const a = await agent('1006');
    const c = await customer('2002');
    await c.call('1006');
    await a.page.getByTestId('call-answer').click();
    await expect.poll(() => a.page.getByTestId('call-card').getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
    await expect.poll(() => bytesDuring(() => agentTotalInbound(a.page)), { timeout: 10_000 }).toBeGreaterThan(1000);
    await a.page.reload();
    await expect.poll(() => a.page.getByTestId('call-card').getAttribute('data-call-state'), { timeout: 15_000 }).toBe('active');
    await expect.poll(() => bytesDuring(() => agentTotalInbound(a.page)), { timeout: 15_000 }).toBeGreaterThan(1000);
    await expect.poll(() => bytesDuring(() => c.inboundBytes()), { timeout: 15_000 }).toBeGreaterThan(1000);
    expect(await c.state()).toBe('Established');
    expect((await c.events()).filter((e) => e.kind === 'ended')).toEqual([]);
  });

  it('an inbound call left ringing until the ring timeout is recorded as missed', async () => {
    const a = await agent('1007', { CALLDESK_SIP_RING_TIMEOUT_SECONDS: '5' });
    const c = await customer('2003');
    await c.call('1007');
    await expect.poll(() => a.page.getByTestId('call-card').getAttribute('data-call-state'), { timeout: 10_000 }).toBe('ringing');
    await expect.poll(() => a.page.getByTestId('recent-call').first().getAttribute('data-end-reason').catch(() => null), { timeout: 15_000 }).toBe('missed');
    await expect.poll(() => c.state(), { timeout: 10_000 }).toBe('Terminated');
  });
});
