import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPbx, type RunningPbx } from '../../scripts/pbx.mjs';
import { agentTotalInbound, bytesDuring, openAgent, type Agent } from '../helpers/agentPage';
import { launchChromium } from '../helpers/chromium';
import { tempDataDir } from '../helpers/hostProcess';
import { SipPeer } from '../helpers/sipPeer/driver';
import { startPeerServer } from '../helpers/sipPeer/server';

let pbx: RunningPbx;
let browser: Browser;
let peerServer: Awaited<ReturnType<typeof startPeerServer>>;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [pbx, browser, peerServer] = await Promise.all([startPbx({ dir: tempDataDir('pbx-') }), launchChromium(), startPeerServer()]);
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(async () => {
  await browser?.close();
  await peerServer?.close();
  await pbx?.stop();
});

async function agent(user = '1001', env: Record<string, string> = {}): Promise<Agent> {
  const a = await openAgent(browser, { wsUrl: pbx.wsUrl, user, password: `pw${user}`, env });
  cleanup.push(() => a.close());
  return a;
}
async function customer(user: string, extra: Partial<Parameters<typeof SipPeer.open>[2]> = {}): Promise<SipPeer> {
  const p = await SipPeer.open(browser, peerServer.url, { wsUrl: pbx.wsUrl, user, password: `pw${user}`, domain: 'calldesk.test', displayName: `Customer ${user}`, ...extra });
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
});
