import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPbx } from '../../../scripts/pbx.mjs';
import { registeredPhone, startTestPbx, type TestPhone } from '../../helpers/phoneHarness';

const here = path.dirname(fileURLToPath(import.meta.url));
const SIPP = spawnSync('sh', ['-c', 'command -v sipp'], { encoding: 'utf8' }).stdout.trim();

let pbx: RunningPbx;
let agent: TestPhone;

beforeAll(async () => {
  if (!SIPP) throw new Error('sipp is not installed: apt-get install -y --no-install-recommends sip-tester');
  pbx = await startTestPbx({ rtpengine: true });
  agent = await registeredPhone(pbx, '1001');
});

afterAll(async () => {
  await agent?.stop().catch(() => undefined);
  await pbx?.stop();
});

describe('a plain SIP peer (sipp, UDP) calls the agent through Kamailio', () => {
  it('rings the agent with its identity, the agent answers, the peer hangs up, both sides complete', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'calldesk-sipp-'));
    const sipp = spawn(
      SIPP,
      [
        `127.0.0.1:${pbx.sipPort}`,
        '-sf', path.join(here, 'sipp', 'call-agent.xml'),
        '-s', '1001',
        '-i', '127.0.0.1',
        '-p', String(30000 + Math.floor(Math.random() * 20000)),
        '-m', '1',
        '-timeout', '20s',
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
    const exited = new Promise<number | null>((resolve) => sipp.once('exit', (code) => resolve(code)));

    const ringing = await agent.waitForCall((c) => c.direction === 'inbound' && c.state === 'ringing', 'sipp call rings');
    expect(ringing.remote).toMatchObject({ number: 'sipp', displayName: 'Plain Peer', source: 'from' });
    expect(ringing.headers['X-Queue']).toBe('plain-sip');
    await agent.service.answer(ringing.id);
    await agent.waitForCall((c) => c.id === ringing.id && c.state === 'active', 'answered');
    const ended = await agent.waitForCall((c) => c.id === ringing.id && c.state === 'ended', 'sipp hung up', 20_000);
    expect(ended.end).toEqual({ reason: 'remote-hangup' });

    const code = await exited;
    const errors = readdirSync(work).filter((f) => f.endsWith('_errors.log') || f.endsWith('_messages.log')).map((f) => readFileSync(path.join(work, f), 'utf8')).join('\n');
    if (code !== 0) {
      console.log(output.slice(-3000), errors);
      console.log(agent.logs.filter((r) => r.level !== 'debug').map((r) => `${r.level} ${r.msg} ${JSON.stringify(r.fields ?? {})}`).join('\n'));
      console.log(readFileSync(pbx.logFile, 'utf8').split('\n').filter((l) => /WARN|ERR|BYE|not loose/i.test(l)).slice(-20).join('\n'));
    }
    expect(code).toBe(0);
    // The PBX bridged the plain RTP/AVP offer: the agent's media host got a WebRTC offer
    // (DTLS-SRTP with a fingerprint, ICE) from rtpengine, never the raw plain-RTP SDP.
    const offer = agent.media.sessions.get(ringing.id)?.remoteSdp ?? '';
    expect(offer).toContain('UDP/TLS/RTP/SAVPF');
    expect(offer).toMatch(/a=fingerprint:/);
    expect(offer).toMatch(/a=ice-ufrag:/);
  });
});
