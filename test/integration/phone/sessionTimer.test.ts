import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dgram from 'node:dgram';
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
async function runSipp(scenario: string, opts: { port?: number; phone?: TestPhone } = {}): Promise<{ code: number | null; diagnostics: () => string }> {
  const phone = opts.phone ?? agent;
  const work = mkdtempSync(path.join(os.tmpdir(), 'calldesk-sipp-'));
  const sipp = spawn(
    SIPP,
    [
      `127.0.0.1:${pbx.sipPort}`,
      '-sf', path.join(here, 'sipp', scenario),
      '-s', '1001',
      '-i', '127.0.0.1',
      '-p', String(opts.port ?? 30000 + Math.floor(Math.random() * 20000)),
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
        phone.logs.filter((r) => r.level !== 'debug').slice(-30).map((r) => `${r.level} ${r.msg} ${JSON.stringify(r.fields ?? {})}`).join('\n'),
      ].join('\n'),
  };
}

/** A free UDP port on 127.0.0.1, and a wait until someone (sipp) has bound it. */
async function udpPortBusy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(true));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(false)));
  });
}
async function freeUdpPort(): Promise<number> {
  for (;;) {
    const port = 30000 + Math.floor(Math.random() * 20000);
    if (!(await udpPortBusy(port))) return port;
  }
}

/** Binds `user` in the PBX's location table to a plain SIP peer on 127.0.0.1:port (as a REGISTER would). */
async function bindUser(user: string, port: number): Promise<void> {
  const body = JSON.stringify({ jsonrpc: '2.0', method: 'ul.add', params: ['location', user, `sip:${user}@127.0.0.1:${port}`, 120, 1.0, '', 0, 0, 0xffffffff], id: 1 });
  const r = await fetch(`http://127.0.0.1:${pbx.wsPort}/RPC`, { method: 'POST', body });
  expect(await r.text()).toContain('"result"');
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

  it('a refresh answered 481 ends the call as "session expired" instead of leaving it up', async () => {
    const before = new Set(agent.service.state().calls.map((c) => c.id));
    const run = runSipp('session-timer-refresh-481.xml');
    const active = await agent.waitForCall((c) => !before.has(c.id) && c.state === 'active', 'answered');
    const ended = await agent.waitForCall((c) => c.id === active.id && c.state === 'ended', 'refresh failed', 30_000);
    expect(ended.end).toEqual({ reason: 'session-expired' });
    const { code, diagnostics } = await run;
    if (code !== 0) console.log(diagnostics());
    expect(code).toBe(0);
  }, 60_000);

  it('our INVITE answered 422 (interval too small) is retried with the Min-SE asked for: the call goes through', async () => {
    const caller = await registeredPhone(pbx, '1002', { timing: { sessionTimer: { expiresSeconds: 8, minSeconds: 5 } } });
    try {
      const port = await freeUdpPort();
      const run = runSipp('session-timer-uas-422.xml', { port, phone: caller });
      while (!(await udpPortBusy(port))) await new Promise((r) => setTimeout(r, 50));
      await bindUser('2001', port);
      const dialled = await caller.service.dial('2001');
      const active = await caller.waitForCall((c) => c.id === dialled.id && c.state === 'active', 'answered after the 422', 20_000);
      expect(caller.service.state().calls.filter((c) => c.state === 'ended' && c.id !== active.id && c.end?.sipCode === 422)).toEqual([]);
      expect(caller.logs.some((r) => r.msg.includes('422 session interval too small'))).toBe(true);
      await caller.service.hangup(active.id);
      const { code, diagnostics } = await run;
      if (code !== 0) console.log(diagnostics());
      expect(code).toBe(0);
    } finally {
      await caller.stop();
    }
  }, 60_000);
});
