import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPbx } from '../../../scripts/pbx.mjs';
import { registeredPhone, startTestPbx, type TestPhone } from '../../helpers/phoneHarness';

// SIP session timers (RFC 4028) against a real peer (sipp) through Kamailio. The agent accepts
// intervals down to 5 s here so that an expiry takes seconds, not the RFC's 90 s minimum.
const here = path.dirname(fileURLToPath(import.meta.url));
const SIPP = spawnSync('sh', ['-c', 'command -v sipp'], { encoding: 'utf8' }).stdout.trim();

let pbx: RunningPbx;
let agent: TestPhone;

beforeAll(async () => {
  if (!SIPP) throw new Error('sipp is not installed: apt-get install -y --no-install-recommends sip-tester');
  pbx = await startTestPbx();
  agent = await registeredPhone(pbx, '1001', {
    behaviour: { autoAnswer: { enabled: true, delaySeconds: 0, honourCallInfo: false } },
    timing: { sessionTimer: { expiresSeconds: 1800, minSeconds: 5 } },
  });
});

afterAll(async () => {
  await agent?.stop().catch(() => undefined);
  await pbx?.stop();
});

/** Runs one sipp scenario against the agent; resolves with its exit code and diagnostics. */
async function runSipp(scenario: string): Promise<{ code: number | null; diagnostics: () => string }> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'calldesk-sipp-'));
  const sipp = spawn(
    SIPP,
    [
      `127.0.0.1:${pbx.sipPort}`,
      '-sf', path.join(here, 'sipp', scenario),
      '-s', '1001',
      '-i', '127.0.0.1',
      '-p', String(30000 + Math.floor(Math.random() * 20000)),
      '-m', '1',
      '-timeout', '40s',
      '-timeout_error',
      '-trace_err',
      '-trace_msg',
      '-nostdin',
    ],
    { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  sipp.stdout.on('data', (d: Buffer) => (output += d.toString()));
  sipp.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => sipp.once('exit', (c) => resolve(c)));
  return {
    code,
    diagnostics: () =>
      [
        output.slice(-2000),
        readdirSync(work).filter((f) => f.endsWith('_errors.log')).map((f) => readFileSync(path.join(work, f), 'utf8')).join('\n'),
        agent.logs.filter((r) => r.level !== 'debug').slice(-30).map((r) => `${r.level} ${r.msg} ${JSON.stringify(r.fields ?? {})}`).join('\n'),
      ].join('\n'),
  };
}

describe('SIP session timers (RFC 4028) with a plain SIP peer through Kamailio', () => {
  it('a peer that stops refreshing its session: the agent ends the call with BYE as "session expired"', async () => {
    const before = new Set(agent.service.state().calls.map((c) => c.id));
    const run = runSipp('session-timer-peer-silent.xml');
    const active = await agent.waitForCall((c) => !before.has(c.id) && c.state === 'active', 'answered');
    const ended = await agent.waitForCall((c) => c.id === active.id && c.state === 'ended', 'session expired', 30_000);
    expect(ended.end).toEqual({ reason: 'session-expired' });
    const { code, diagnostics } = await run;
    if (code !== 0) console.log(diagnostics());
    expect(code).toBe(0);
  }, 60_000);

  it('as the refresher, the agent re-INVITEs with Session-Expires before the interval runs out', async () => {
    const before = new Set(agent.service.state().calls.map((c) => c.id));
    const run = runSipp('session-timer-agent-refreshes.xml');
    const active = await agent.waitForCall((c) => !before.has(c.id) && c.state === 'active', 'answered');
    const { code, diagnostics } = await run;
    if (code !== 0) console.log(diagnostics());
    expect(code).toBe(0);
    const ended = await agent.waitForCall((c) => c.id === active.id && c.state === 'ended', 'peer hung up');
    expect(ended.end).toEqual({ reason: 'remote-hangup' });
  }, 60_000);

  it('an interval below the agent Min-SE is refused with 422 and the agent Min-SE', async () => {
    const { code, diagnostics } = await runSipp('session-timer-too-small.xml');
    if (code !== 0) console.log(diagnostics());
    expect(code).toBe(0);
  }, 60_000);
});
