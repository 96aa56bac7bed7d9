import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupMembers, pickPorts, startPbx, stopPbx } from '../../../scripts/pbx.mjs';
import { until } from '../../helpers/wait';

// The development PBX (scripts/pbx.mjs) as `npm start`, `npm run pbx` and the test rigs use it:
// Kamailio forks ~10 workers; stopping it, or the exit of the process that started it, must stop
// every one of them and free the ports (they used to survive a SIGTERM'd `npm start`).
const ROOT = path.resolve(__dirname, '../../..');

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Runs a Node snippet as its own process and resolves with its stdout once it exits. */
function runNode(code: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (c) => (c === 0 ? resolve(out) : reject(new Error(`exit ${c}: ${out}`))));
  });
}

describe('development PBX processes', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-pbx-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stop() ends Kamailio and all of its workers and frees the ports', async () => {
    const ports = await pickPorts();
    const pbx = await startPbx({ ...ports, dir: path.join(dir, 'a') });
    expect(groupMembers(pbx.pid)!.length).toBeGreaterThan(1);
    await pbx.stop();
    expect(groupMembers(pbx.pid)).toEqual([]);
    if (pbx.rtpengine) expect(groupMembers(pbx.rtpengine.pid)).toEqual([]);
    expect(await tcpFree(ports.wsPort)).toBe(true);
  });

  it('the exit of the process that started it ends every worker (no stray Kamailio holding the ports)', async () => {
    const ports = await pickPorts();
    const out = await runNode(
      `import { startPbx } from './scripts/pbx.mjs';
       const pbx = await startPbx({ sipPort: ${ports.sipPort}, wsPort: ${ports.wsPort}, dir: ${JSON.stringify(path.join(dir, 'b'))} });
       console.log('pid=' + pbx.pid + ' rtpe=' + (pbx.rtpengine?.pid ?? 0));
       process.exit(0);`,
    );
    const pid = Number(/pid=(\d+)/.exec(out)![1]);
    const rtpe = Number(/rtpe=(\d+)/.exec(out)![1]);
    await until(() => groupMembers(pid)!.length === 0, 'Kamailio workers to stop', 5000);
    if (rtpe) await until(() => groupMembers(rtpe)!.length === 0, 'rtpengine to stop', 5000);
    expect(await tcpFree(ports.wsPort)).toBe(true);
  });

  it('npm run pbx -- stop ends a detached instance with all its workers', async () => {
    const ports = await pickPorts();
    const pbxDir = path.join(dir, 'c');
    const pbx = await startPbx({ ...ports, dir: pbxDir, detached: true });
    expect(groupMembers(pbx.pid)!.length).toBeGreaterThan(1);
    expect(await stopPbx({ dir: pbxDir })).toBe(true);
    expect(groupMembers(pbx.pid)).toEqual([]);
    expect(await tcpFree(ports.wsPort)).toBe(true);
    expect(await stopPbx({ dir: pbxDir })).toBe(false);
  });

  it('npm start with the demo PBX: SIGTERM stops the host and every Kamailio process it started', async () => {
    const ports = await pickPorts();
    const dataDir = path.join(dir, 'data');
    const pbxDir = path.join(dir, 'demo-pbx');
    if (!fs.existsSync(path.join(ROOT, 'dist/host/main.mjs'))) await runNode(`await import('./scripts/build.mjs')`);
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs'), '--no-open', '--data-dir', dataDir, '--port', '0'], {
      cwd: ROOT,
      env: {
        ...process.env,
        CI: '1',
        CALLDESK_START_SKIP_BUILD: '1',
        CALLDESK_DEMO_PBX_SIP_PORT: String(ports.sipPort),
        CALLDESK_DEMO_PBX_WS_PORT: String(ports.wsPort),
        CALLDESK_DEMO_PBX_DIR: pbxDir,
        CALLDESK_POLICY_FILE: path.join(dir, 'policy.json'),
        ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'no-electron'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until(() => /CallDesk is running/.test(out), 'the host to start', 60_000);
    expect(out).toContain(`demo PBX at ws://127.0.0.1:${ports.wsPort}`);
    const pid = Number(fs.readFileSync(path.join(pbxDir, 'kamailio.pid'), 'utf8'));
    expect(groupMembers(pid)!.length).toBeGreaterThan(1);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await until(() => groupMembers(pid)!.length === 0, 'Kamailio workers to stop with npm start', 5000);
    expect(await tcpFree(ports.wsPort)).toBe(true);
  });
});
