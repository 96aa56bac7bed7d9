import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickPorts, startPbx, type RunningPbx } from '../../scripts/pbx.mjs';
import { launchChromium } from '../helpers/chromium';
import { SipPeer } from '../helpers/sipPeer/driver';
import { startPeerServer } from '../helpers/sipPeer/server';
import { tempDataDir } from '../helpers/hostProcess';

// Proves the test's own simulated customers work through the real Kamailio before the agent is involved.
let pbx: RunningPbx;
let browser: Browser;
let peerServer: Awaited<ReturnType<typeof startPeerServer>>;

beforeAll(async () => {
  [pbx, browser, peerServer] = await Promise.all([pickPorts().then((ports) => startPbx({ dir: tempDataDir('pbx-'), ...ports })), launchChromium(), startPeerServer()]);
});
afterAll(async () => {
  await browser?.close();
  await peerServer?.close();
  await pbx?.stop();
});

describe('simulated SIP peers through Kamailio', () => {
  it('two Chromium peers call each other with audio both ways', async () => {
    const a = await SipPeer.open(browser, peerServer.url, { wsUrl: pbx.wsUrl, user: '2001', password: 'pw2001', domain: 'calldesk.test' });
    const b = await SipPeer.open(browser, peerServer.url, { wsUrl: pbx.wsUrl, user: '2002', password: 'pw2002', domain: 'calldesk.test', autoAnswerMs: 100 });
    await a.call('2002');
    await expect.poll(() => a.state(), { timeout: 10_000 }).toBe('Established');
    await expect.poll(() => a.inboundBytes(), { timeout: 10_000 }).toBeGreaterThan(2000);
    await expect.poll(() => b.inboundBytes(), { timeout: 10_000 }).toBeGreaterThan(2000);
    await a.sendDtmfInfo('5');
    await expect.poll(async () => (await b.events()).filter((e) => e.kind === 'dtmf-info').map((e) => e.detail)).toEqual(['5']);
    await b.hangup();
    await expect.poll(() => a.state()).toBe('Terminated');
    await a.close();
    await b.close();
  });
});
