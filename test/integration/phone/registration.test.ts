import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForWebSocket, startPbx, type RunningPbx } from '../../../scripts/pbx.mjs';
import { createTestPhone, startTestPbx, type TestPhone } from '../../helpers/phoneHarness';

let pbx: RunningPbx;
const phones: TestPhone[] = [];

beforeAll(async () => {
  pbx = await startTestPbx();
});

afterAll(async () => {
  for (const p of phones) await p.stop().catch(() => undefined);
  await pbx?.stop();
});

/** Kamailio's main process and every worker it forked (SIGSTOP must freeze them all). */
function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      // The process exited while we looked.
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of parents) if (ppid === out[i]) out.push(pid);
  return out;
}

function phone(...args: Parameters<typeof createTestPhone>): TestPhone {
  const p = createTestPhone(...args);
  phones.push(p);
  return p;
}

describe('registration against a real Kamailio', () => {
  it('registers with the right password', async () => {
    const p = phone(pbx, '1001', 'pw1001');
    await p.service.start();
    const s = await p.waitFor((st) => st.registration.state === 'registered', 'registered');
    expect(s.registration.aor).toBe('sip:1001@calldesk.test');
    expect(s.registration.expiresAt).toBeGreaterThan(Date.now());
    await p.stop();
    expect(p.service.state().registration.state).toBe('unregistered');
  });

  it('fails with reason wrong-password for a wrong password, and does not retry', async () => {
    const p = phone(pbx, '1002', 'not-the-password');
    await p.service.start();
    const s = await p.waitFor((st) => st.registration.state === 'failed', 'failed');
    expect(s.registration.reason).toBe('wrong-password');
    expect(s.registration.sipCode).toBe(401);
    expect(p.logs.some((r) => r.msg === 'registration rejected')).toBe(true);
    await p.stop();
  });

  it('fails with reason forbidden for an account the PBX does not know', async () => {
    const p = phone(pbx, 'mallory', 'whatever');
    await p.service.start();
    const s = await p.waitFor((st) => st.registration.state === 'failed', 'failed');
    expect(s.registration.reason).toBe('forbidden');
    expect(s.registration.sipCode).toBe(403);
    await p.stop();
  });

  it('shows disconnected when Kamailio stops and registers again when it is back (times printed)', async () => {
    const p = phone(pbx, '1003', 'pw1003');
    await p.service.start();
    await p.waitFor((st) => st.registration.state === 'registered', 'registered');

    const stoppedAt = Date.now();
    await pbx.stop();
    await p.waitFor((st) => st.registration.state === 'disconnected', 'disconnected within 15 s', 15_000);
    const disconnectedMs = Date.now() - stoppedAt;
    expect(p.service.state().registration.reason).toBe('network');

    // Let a few backoff rounds pass so the recovery is measured from a realistic retry position.
    await new Promise((r) => setTimeout(r, 4000));
    const attemptsWhileDown = p.service.state().registration.attempt;
    const restarted = await startPbx({ sipPort: pbx.sipPort, wsPort: pbx.wsPort, dir: pbx.dir });
    pbx = restarted;
    await waitForWebSocket(pbx.wsUrl);
    const reachableAt = Date.now();
    await p.waitFor((st) => st.registration.state === 'registered', 'registered again within 5 s', 5_000);
    const reregisteredMs = Date.now() - reachableAt;
    console.log(
      `[phone] Kamailio stopped -> disconnected: ${disconnectedMs} ms; reachable again -> registered: ${reregisteredMs} ms (${attemptsWhileDown} reconnect attempts while down)`,
    );
    expect(attemptsWhileDown).toBeGreaterThan(1);
    await p.stop();
  });

  it('detects a frozen PBX by keep-alive probes and recovers when it thaws (times printed)', async () => {
    const p = phone(pbx, '1004', 'pw1004', { timing: { keepAliveIntervalMs: 1000, keepAliveTimeoutMs: 2000 } });
    await p.service.start();
    await p.waitFor((st) => st.registration.state === 'registered', 'registered');
    const frozenAt = Date.now();
    const tree = processTree(pbx.pid);
    for (const pid of tree) process.kill(pid, 'SIGSTOP');
    try {
      await p.waitFor((st) => st.registration.state === 'disconnected', 'disconnected after unanswered probes', 15_000);
    } finally {
      for (const pid of tree) process.kill(pid, 'SIGCONT');
    }
    const detectedMs = Date.now() - frozenAt;
    expect(p.logs.some((r) => r.msg.startsWith('keep-alive probe unanswered'))).toBe(true);
    const thawedAt = Date.now();
    await p.waitFor((st) => st.registration.state === 'registered', 'registered after thaw', 10_000);
    console.log(`[phone] frozen PBX -> disconnected: ${detectedMs} ms; thawed -> registered: ${Date.now() - thawedAt} ms`);
    await p.stop();
  });

  it('fails with reason timeout when the registrar stops answering, and retries until it answers again', async () => {
    const p = phone(pbx, '1007', 'pw1007', { timing: { registerTimeoutMs: 1500, keepAliveIntervalMs: 60_000 } });
    await p.service.start();
    await p.waitFor((st) => st.registration.state === 'registered', 'registered');
    const tree = processTree(pbx.pid);
    for (const pid of tree) process.kill(pid, 'SIGSTOP');
    try {
      await p.service.register();
      const s = await p.waitFor((st) => st.registration.state === 'failed', 'failed', 10_000);
      expect(s.registration.reason).toBe('timeout');
      expect(s.registration.nextAttemptAt).toBeGreaterThan(0);
    } finally {
      for (const pid of tree) process.kill(pid, 'SIGCONT');
    }
    await p.waitFor((st) => st.registration.state === 'registered', 'registered again', 15_000);
    await p.stop();
  });

  it('re-registers on a network-change signal', async () => {
    const p = phone(pbx, '1005', 'pw1005');
    await p.service.start();
    await p.waitFor((st) => st.registration.state === 'registered', 'registered');
    const before = p.logs.length;
    p.network.emit('resume');
    await p.waitFor(() => p.logs.slice(before).some((r) => r.msg === 'REGISTER accepted'), 'a fresh REGISTER answered');
    expect(p.logs.slice(before).some((r) => r.msg === 'network signal: re-registering')).toBe(true);
    expect(p.service.state().registration.state).toBe('registered');
    await p.stop();
  });

  it('refreshes the registration before it expires', async () => {
    const p = phone(pbx, '1006', 'pw1006', { expires: 10 });
    await p.service.start();
    await p.waitFor((st) => st.registration.state === 'registered', 'registered');
    const before = p.logs.filter((r) => r.msg === 'REGISTER accepted').length;
    await p.waitFor(() => p.logs.filter((r) => r.msg === 'REGISTER accepted').length > before, 'a refresh', 15_000);
    expect(p.service.state().registration.state).toBe('registered');
    await p.stop();
  });
});
