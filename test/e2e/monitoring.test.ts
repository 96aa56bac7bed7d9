import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickPorts, startPbx, type RunningPbx } from '../../scripts/pbx.mjs';
import { generateMonitorKey, signMonitorToken, type MonitorSigningKey } from '../../server/monitor/tokenSigner';
import type { MonitorSession } from '../../shared/monitor/api';
import type { MonitorMode } from '../../shared/monitor/token';
import { openAgent, type Agent } from '../helpers/agentPage';
import { launchChromium } from '../helpers/chromium';
import { tempDataDir } from '../helpers/hostProcess';
import { SipPeer } from '../helpers/sipPeer/driver';
import { startPeerServer } from '../helpers/sipPeer/server';
import { toneLevels, writeToneWav, type HeardSource } from '../helpers/toneMeter';
import type { Page } from 'playwright-core';

// Listen / whisper / barge with real parts (issue 12 item 4): Kamailio, three Chromium browsers whose
// fake microphones play different tones, and an FFT on each party's received audio.
const CUSTOMER_HZ = 500;
const AGENT_HZ = 1100;
const SUPERVISOR_HZ = 1800;
const FREQS = [CUSTOMER_HZ, AGENT_HZ, SUPERVISOR_HZ];
/** A tone this far above the spectrum's median is heard; measured: heard tones stand 40-70 dB above it, absent ones under 10. */
const HEARD_DB = 25;

let pbx: RunningPbx;
const browsers: Browser[] = [];
let peerServer: { url: string; close(): Promise<void> };
let key: MonitorSigningKey;
let agent: Agent;
let supervisor: Agent;
let customer: SipPeer;
let browserOf: { customer: Browser; agent: Browser; supervisor: Browser };

async function toneBrowser(name: string, hz: number): Promise<Browser> {
  const wav = path.join(tempDataDir(`tone-${name}-`), `${hz}.wav`);
  writeToneWav(wav, hz);
  const b = await launchChromium([`--use-file-for-fake-audio-capture=${wav}`]);
  browsers.push(b);
  return b;
}

beforeAll(async () => {
  key = generateMonitorKey();
  const [p, server, cb, ab, sb] = await Promise.all([
    pickPorts().then((ports) => startPbx({ dir: tempDataDir('pbx-'), ...ports })),
    startPeerServer(),
    toneBrowser('customer', CUSTOMER_HZ),
    toneBrowser('agent', AGENT_HZ),
    toneBrowser('supervisor', SUPERVISOR_HZ),
  ]);
  pbx = p;
  peerServer = server;
  browserOf = { customer: cb, agent: ab, supervisor: sb };
  agent = await openAgent(ab, { wsUrl: pbx.wsUrl, user: '1001', password: 'pw1001', env: { CALLDESK_MONITORING_SERVER_KEY: key.publicKeyBase64, CALLDESK_AGENT_ID: 'alice' } });
  supervisor = await openAgent(sb, { wsUrl: pbx.wsUrl, user: '1009', password: 'pw1009', env: { CALLDESK_AGENT_ID: 'sam' } });
  customer = await SipPeer.open(cb, peerServer.url, { wsUrl: pbx.wsUrl, user: '2001', password: 'pw2001', domain: 'calldesk.test', displayName: 'Customer 2001' });
}, 120_000);

afterAll(async () => {
  await customer?.close().catch(() => undefined);
  await agent?.close().catch(() => undefined);
  await supervisor?.close().catch(() => undefined);
  for (const b of browsers) await b.close().catch(() => undefined);
  await peerServer?.close();
  await pbx?.stop();
});

function monitor(page: Page) {
  return {
    start: (agentExt: string, token: string, mode: MonitorMode) =>
      page.evaluate(async (a) => {
        const r = await window.calldesk!.monitor.start(a);
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      }, { agent: agentExt, token, mode }),
    mode: (sessionId: string, mode: MonitorMode) =>
      page.evaluate(async (a) => {
        const r = await window.calldesk!.monitor.mode(a);
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      }, { sessionId, mode }),
    stop: (sessionId: string) => page.evaluate(async (a) => window.calldesk!.monitor.stop(a), { sessionId }),
    sessions: () =>
      page.evaluate(async () => {
        const r = await window.calldesk!.monitor.state();
        return r.ok ? r.value.sessions : [];
      }),
  };
}

/** Which of the three tones a party hears now (polls until the set is stable and as expected). */
async function expectHears(page: Page, source: HeardSource, expected: number[], label: string): Promise<Record<number, number>> {
  let last: Record<number, number> = {};
  await expect
    .poll(
      async () => {
        last = await toneLevels(page, source, FREQS);
        return FREQS.filter((f) => last[f]! >= HEARD_DB);
      },
      { timeout: 20_000, interval: 300, message: `${label} should hear exactly ${expected.join(', ')} Hz` },
    )
    .toEqual(expected);
  return last;
}

describe('listen / whisper / barge through real Kamailio and three Chromium parties', () => {
  it('each mode routes the audio as specified; modes switch mid-session; the agent sees the indicator; stop gives the call back', async () => {
    await customer.call('1001');
    const card = agent.page.getByTestId('call-card');
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 15_000 }).toBe('ringing');
    await card.getByTestId('call-answer').click();
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 15_000 }).toBe('active');
    const callId = await card.getAttribute('data-call-id');
    expect(callId).toBeTruthy();

    // Before monitoring: a plain call.
    await expectHears(customer.page, { kind: 'peer' }, [AGENT_HZ], 'customer before monitoring');

    const sup = monitor(supervisor.page);
    const token = signMonitorToken({ supervisor: 'sam', agent: 'alice', call: callId! }, key, Date.now());
    const started = await sup.start('1001', token, 'listen');
    await expect.poll(async () => (await sup.sessions()).find((s) => s.id === started.id)?.state, { timeout: 15_000 }).toBe('active');
    const agentSession = async (): Promise<MonitorSession | undefined> => (await monitor(agent.page).sessions())[0];
    await expect.poll(async () => (await agentSession())?.state, { timeout: 15_000 }).toBe('active');
    const agentSide = (await agentSession())!;
    expect(agentSide).toMatchObject({ role: 'agent', callId, peer: 'sam', mode: 'listen', indicator: true });
    await expect.poll(() => agent.page.evaluate(() => (window as unknown as { calldeskMonitor: { sessionIds(): string[] } }).calldeskMonitor.sessionIds()), { timeout: 15_000 }).toEqual([agentSide.id]);
    await expect.poll(() => agent.page.getByTestId('monitor-indicator').getAttribute('data-mode'), { timeout: 10_000 }).toBe('listen');

    const supHears: HeardSource = { kind: 'media', id: started.id };
    const agentHears: HeardSource = { kind: 'ear', sessionId: agentSide.id };
    const custHears: HeardSource = { kind: 'peer' };

    // listen: supervisor hears customer + agent; agent hears the customer only; customer hears the agent only.
    await expectHears(supervisor.page, supHears, [CUSTOMER_HZ, AGENT_HZ], 'supervisor (listen)');
    await expectHears(agent.page, agentHears, [CUSTOMER_HZ], 'agent (listen)');
    await expectHears(customer.page, custHears, [AGENT_HZ], 'customer (listen)');

    // whisper: the agent also hears the supervisor; the customer never does.
    await sup.mode(started.id, 'whisper');
    await expect.poll(async () => (await agentSession())?.mode, { timeout: 10_000 }).toBe('whisper');
    await expectHears(agent.page, agentHears, [CUSTOMER_HZ, SUPERVISOR_HZ], 'agent (whisper)');
    const whisperCustomer = await expectHears(customer.page, custHears, [AGENT_HZ], 'customer (whisper)');
    expect(whisperCustomer[SUPERVISOR_HZ]).toBeLessThan(HEARD_DB);
    await expectHears(supervisor.page, supHears, [CUSTOMER_HZ, AGENT_HZ], 'supervisor (whisper)');

    // barge: everyone hears everyone.
    await sup.mode(started.id, 'barge');
    await expect.poll(() => agent.page.getByTestId('monitor-indicator').getAttribute('data-mode'), { timeout: 10_000 }).toBe('barge');
    await expectHears(customer.page, custHears, [AGENT_HZ, SUPERVISOR_HZ], 'customer (barge)');
    await expectHears(agent.page, agentHears, [CUSTOMER_HZ, SUPERVISOR_HZ], 'agent (barge)');
    await expectHears(supervisor.page, supHears, [CUSTOMER_HZ, AGENT_HZ], 'supervisor (barge)');

    // Back to listen: the supervisor's voice leaves both the customer and the agent.
    await sup.mode(started.id, 'listen');
    await expectHears(customer.page, custHears, [AGENT_HZ], 'customer (listen again)');
    await expectHears(agent.page, agentHears, [CUSTOMER_HZ], 'agent (listen again)');

    // Stop: the session ends on both sides; the customer still hears the agent's microphone.
    await sup.stop(started.id);
    await expect.poll(() => monitor(agent.page).sessions(), { timeout: 15_000 }).toEqual([]);
    await expect.poll(() => agent.page.getByTestId('monitor-indicator').count(), { timeout: 10_000 }).toBe(0);
    await expectHears(customer.page, custHears, [AGENT_HZ], 'customer (after stop)');
    expect(agent.host.output()).toContain('monitoring accepted');
    void browserOf;
  });
});
