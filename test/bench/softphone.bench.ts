import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { pickPorts, startPbx, type RunningPbx } from '../../scripts/pbx.mjs';
import { openAgent, type Agent } from '../helpers/agentPage';
import { launchChromium } from '../helpers/chromium';
import { tempDataDir } from '../helpers/hostProcess';
import { SipPeer } from '../helpers/sipPeer/driver';
import { startPeerServer } from '../helpers/sipPeer/server';
import { report, summarise } from './harness';

// Real Kamailio, the built browser host and Chromium: what an agent meets. Needs `npm run build`.
const CALLS = 20;
let pbx: RunningPbx | undefined;
let browser: Browser | undefined;
let server: Awaited<ReturnType<typeof startPeerServer>> | undefined;
let agent: Agent | undefined;

afterAll(async () => {
  await agent?.close();
  await browser?.close();
  await server?.close();
  await pbx?.stop();
});

describe('softphone latency', () => {
  it('INVITE received by the core -> ringing visible; answer click -> first inbound audio packet', async () => {
    pbx = await startPbx({ dir: tempDataDir('pbx-'), ...(await pickPorts()) });
    browser = await launchChromium();
    server = await startPeerServer();
    agent = await openAgent(browser, { wsUrl: pbx.wsUrl, user: '1001', password: 'pw1001' });
    const customer = await SipPeer.open(browser, server.url, { wsUrl: pbx.wsUrl, user: '2001', password: 'pw2001', domain: 'calldesk.test' });
    const page = agent.page;
    const ringing: number[] = [];
    const audio: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      await page.evaluate(() => {
        const w = window as unknown as { ringAt?: number; obs?: MutationObserver };
        w.ringAt = undefined;
        w.obs = new MutationObserver(() => {
          if (w.ringAt === undefined && document.querySelector('[data-call-state=ringing]')) w.ringAt = Date.now();
        });
        w.obs.observe(document.body, { subtree: true, childList: true, attributes: true });
      });
      const linesBefore = agent.host.output().split('\n').filter((l) => l.includes('incoming call')).length;
      await customer.call('1001');
      await page.waitForFunction(() => (window as unknown as { ringAt?: number }).ringAt !== undefined, null, { timeout: 10_000 });
      const ringAt = await page.evaluate(() => (window as unknown as { ringAt: number }).ringAt);
      const line = agent.host.output().split('\n').filter((l) => l.includes('incoming call'))[linesBefore]!;
      ringing.push(ringAt - Date.parse(line.slice(0, 24)));

      const ms = await page.evaluate(async () => {
        const media = (window as unknown as { calldeskMedia: { callIds(): string[]; peerConnection(id: string): RTCPeerConnection | undefined } }).calldeskMedia;
        const t0 = performance.now();
        (document.querySelector('[data-testid=call-answer]') as HTMLElement).click();
        for (;;) {
          for (const id of media.callIds()) {
            const pc = media.peerConnection(id);
            if (!pc) continue;
            let packets = 0;
            (await pc.getStats()).forEach((r: { type: string; kind?: string; packetsReceived?: number }) => {
              if (r.type === 'inbound-rtp' && r.kind === 'audio') packets += r.packetsReceived ?? 0;
            });
            if (packets > 0) return performance.now() - t0;
          }
          if (performance.now() - t0 > 10_000) return NaN;
          await new Promise((r) => setTimeout(r, 5));
        }
      });
      audio.push(ms);
      await customer.hangup();
      await page.waitForFunction(() => !document.querySelector('[data-testid=call-card]'), null, { timeout: 10_000 });
    }
    const r = summarise('INVITE at core -> ringing visible in renderer', ringing);
    const a = summarise('answer click -> first inbound audio packet', audio.filter((x) => Number.isFinite(x)));
    report(r, a);
    expect(a.n).toBe(CALLS);
  });
});
