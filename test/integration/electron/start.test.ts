import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm start` on a machine without the Electron binary (this one): one line saying so, then the
// browser host, with arguments and SIGTERM forwarded. Runs scripts/start.mjs as a real process.
const ROOT = path.resolve(__dirname, '../../..');

describe('npm start without an Electron binary', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-start-'));
    if (!fs.existsSync(path.join(ROOT, 'dist/host/main.mjs'))) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--only', 'host'], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    }
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('says so in one line, starts the browser host with the forwarded arguments, and stops it on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs'), '--no-open', '--data-dir', dataDir, '--port', '0'], {
      cwd: ROOT,
      env: {
        ...process.env,
        CI: '1',
        CALLDESK_START_SKIP_BUILD: '1',
        // Not the demo profile: no development PBX on fixed ports during tests.
        CALLDESK_DEMO: '0',
        CALLDESK_POLICY_FILE: path.join(dataDir, 'policy.json'),
        // Electron's own override: an empty folder means "no binary" even where Electron is installed.
        ELECTRON_OVERRIDE_DIST_PATH: path.join(dataDir, 'no-electron'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', () => {
        const m = /CallDesk is running: (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`start.mjs exited with ${code}:\n${out}`)));
    });

    const notices = out.split('\n').filter((l) => /Electron/.test(l));
    expect(notices).toEqual(['calldesk: Electron is not installed here; starting the browser host instead (same as `npm run start:web`).']);
    // --data-dir reached the host: its database is in our folder.
    expect(fs.existsSync(path.join(dataDir, 'calldesk.sqlite'))).toBe(true);
    const res = await fetch(url);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });
});
