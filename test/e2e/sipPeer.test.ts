import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

// Proves the test's own simulated customers work through the real Kamailio before the agent is involved.
let rig: TelephonyRig;

beforeAll(async () => {
  rig = await startTelephonyRig();
});
afterAll(async () => {
  await rig?.close();
});

describe('simulated SIP peers through Kamailio', () => {
  it('two Chromium peers call each other with audio both ways', async () => {
    const a = await rig.customer('2001');
    const b = await rig.customer('2002', { autoAnswerMs: 100 });
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
