import { afterAll, beforeAll, bench, describe } from 'vitest';
import { startPbx, waitForWebSocket, type RunningPbx } from '../../scripts/pbx.mjs';
import { registeredPhone, startTestPbx, type TestPhone } from '../helpers/phoneHarness';

// Softphone figures against a real Kamailio on loopback (Node UAs, fake media host). Each bench
// records its own precise interval and prints p50/p95 at the end; tinybench's figure includes setup.
let pbx: RunningPbx;
let agent: TestPhone;
let customer: TestPhone;
const ringMs: number[] = [];
const answerMs: number[] = [];
const restoreMs: number[] = [];

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
function report(name: string, values: number[]): void {
  if (values.length === 0) return;
  console.log(`[phone bench] ${name}: n=${values.length} p50=${pct(values, 50).toFixed(1)} ms p95=${pct(values, 95).toFixed(1)} ms`);
}

beforeAll(async () => {
  pbx = await startTestPbx();
  agent = await registeredPhone(pbx, '1001');
  customer = await registeredPhone(pbx, '2001');
});

afterAll(async () => {
  report('customer dials -> agent core shows ringing', ringMs);
  report('agent answers -> call active on both sides', answerMs);
  report('PBX reachable again -> agent registered', restoreMs);
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

describe('softphone', () => {
  bench('call: dial -> ringing -> answer -> active -> hang up', oneCall, { iterations: 20, time: 0, warmupIterations: 2 });
  bench('transport restored -> registered', oneOutage, { iterations: 5, time: 0, warmupIterations: 0 });
});
