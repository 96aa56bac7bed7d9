import { afterAll, beforeAll, describe, it } from 'vitest';
import { startPbx, waitForWebSocket, type RunningPbx } from '../../scripts/pbx.mjs';
import { registeredPhone, startTestPbx, type TestPhone } from '../helpers/phoneHarness';
import { benchSize, report, summarise } from './harness';

// Softphone figures against a real Kamailio on loopback (Node UAs, fake media host). Each run
// records its own precise interval (setup excluded) and prints the figures at the end.
const CALLS = benchSize('CALLDESK_BENCH_PHONE_CALLS', 10, 20);
const OUTAGES = benchSize('CALLDESK_BENCH_PHONE_OUTAGES', 3, 5);
let pbx: RunningPbx;
let agent: TestPhone;
let customer: TestPhone;
const ringMs: number[] = [];
const answerMs: number[] = [];
const restoreMs: number[] = [];

beforeAll(async () => {
  pbx = await startTestPbx();
  agent = await registeredPhone(pbx, '1001');
  customer = await registeredPhone(pbx, '2001');
});

afterAll(async () => {
  await agent?.stop();
  await customer?.stop();
  await pbx?.stop();
});

async function oneCall(): Promise<void> {
  const t0 = performance.now();
  const out = await customer.service.dial('1001');
  const ringing = await agent.waitForCall((c) => c.direction === 'inbound' && c.state === 'ringing', 'ringing');
  const t1 = performance.now();
  await agent.service.answer(ringing.id);
  await agent.waitForCall((c) => c.id === ringing.id && c.state === 'active', 'active');
  await customer.waitForCall((c) => c.id === out.id && c.state === 'active', 'active');
  const t2 = performance.now();
  ringMs.push(t1 - t0);
  answerMs.push(t2 - t1);
  await agent.service.hangup(ringing.id);
  await customer.waitForCall((c) => c.id === out.id && c.state === 'ended', 'ended');
  await agent.waitForCall((c) => c.id === ringing.id && c.state === 'ended', 'ended');
}

async function oneOutage(): Promise<void> {
  await pbx.stop();
  await agent.waitFor((s) => s.registration.state === 'disconnected', 'disconnected');
  await new Promise((r) => setTimeout(r, 2000));
  pbx = await startPbx({ sipPort: pbx.sipPort, wsPort: pbx.wsPort, dir: pbx.dir });
  await waitForWebSocket(pbx.wsUrl);
  const t0 = performance.now();
  await agent.waitFor((s) => s.registration.state === 'registered', 'registered', 10_000);
  restoreMs.push(performance.now() - t0);
  await customer.waitFor((s) => s.registration.state === 'registered', 'customer registered', 10_000);
}

describe('softphone (Node UAs through Kamailio)', () => {
  it(`call: dial -> ringing -> answer -> active -> hang up (${CALLS} calls after 2 warm-up calls)`, async () => {
    for (let i = 0; i < CALLS + 2; i++) await oneCall();
    report(summarise('customer dials -> agent core shows ringing', ringMs.slice(2)), summarise('agent answers -> call active on both sides', answerMs.slice(2)));
  });
  it(`transport restored -> registered (${OUTAGES} PBX restarts)`, async () => {
    for (let i = 0; i < OUTAGES; i++) await oneOutage();
    report(summarise('PBX reachable again -> agent registered', restoreMs));
  });
});
