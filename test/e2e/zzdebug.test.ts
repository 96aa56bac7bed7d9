import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pickPorts, startPbx, type RunningPbx } from '../../scripts/pbx.mjs';
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
  [pbx, browser, peerServer] = await Promise.all([pickPorts().then((ports) => startPbx({ dir: tempDataDir('pbx-'), ...ports })), launchChromium(), startPeerServer()]);
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

describe('dbg', () => {
  it('outbound dbg', async () => {
    const a = await agent('1002', { CALLDESK_SIP_RING_TIMEOUT_SECONDS: '5' });
    const errors: string[] = [];
    a.page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text().slice(0, 1500)); });
    a.page.on('pageerror', (e) => errors.push('PAGEERROR ' + String(e.stack ?? e).slice(0, 2500)));
    const answering = await customer('2002', { autoAnswerMs: 300 });
    await customer('2003', { autoRejectCode: 486 });
    const dial = async (n: string) => {
      await a.page.getByTestId('dial-input').fill(n);
      await a.page.getByTestId('dial-button').click();
    };
    await dial('2002');
    const card = a.page.getByTestId('call-card');
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
    await card.getByTestId('call-hangup').click();
    await expect.poll(() => answering.state(), { timeout: 10_000 }).toBe('Terminated');
    await dial('2003');
    await new Promise((r) => setTimeout(r, 3000));
    console.log('ERRORS\n' + errors.join('\n----\n'));
  });
});
