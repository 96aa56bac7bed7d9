import { afterAll, describe, expect, it } from 'vitest';
import { openAgent, type Agent } from '../helpers/agentPage';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';
import { benchSize, report, summarise } from './harness';

// Real Kamailio, the built browser host and Chromium: what an agent meets. Needs `npm run build`.
const CALLS = benchSize('CALLDESK_BENCH_CALLS', 10, 20);
let rig: TelephonyRig | undefined;
let agent: Agent | undefined;

afterAll(async () => {
  await agent?.close();
  await rig?.close();
});

describe('softphone latency', () => {
  it('INVITE received by the core -> ringing visible; answer click -> first inbound audio packet', async () => {
    rig = await startTelephonyRig();
    agent = await openAgent(rig.browser, { wsUrl: rig.pbx.wsUrl, user: '1001', password: 'pw1001' });
    const customer = await rig.customer('2001');
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
