import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../helpers/hostProcess';

// `--diagnostics-bundle [FILE]` on the command line (what IT runs on an agent's machine): the
// browser host build writes the bundle without serving anything, and exits.
const ROOT = path.resolve(__dirname, '../../..');
const OUT = path.join(ROOT, '.tmp/calldesk-test-diagnostics-cli');

beforeAll(() => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--only', 'host', '--outdir', OUT], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr || r.stdout);
}, 120_000);

function run(args: string[], dataDir: string) {
  return spawnSync(process.execPath, [path.join(OUT, 'host/main.mjs'), '--data-dir', dataDir, ...args], {
    cwd: dataDir,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', CALLDESK_DEMO: '0', CALLDESK_POLICY_FILE: path.join(dataDir, 'policy.json') },
    timeout: 60_000,
  });
}

describe('diagnostics bundle from the command line', () => {
  it('--diagnostics-bundle FILE writes the zip there and exits 0; without a file it goes to the data folder', async () => {
    const dataDir = tempDataDir('diag-cli-');
    const r = run(['--diagnostics-bundle', 'support.zip'], dataDir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const file = path.join(dataDir, 'support.zip');
    expect(r.stdout).toContain(`Diagnostics bundle written: ${file}`);
    const files = Object.fromEntries(Object.entries(unzipSync(new Uint8Array(fs.readFileSync(file)))).map(([n, b]) => [n, strFromU8(b)]));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['manifest.json', 'settings.json', 'phone.json', 'sip-trace.txt', 'logs/calldesk.log']));
    expect(JSON.parse(files['audio-devices.json']!)).toMatchObject({ available: false });
    expect(JSON.parse(files['phone.json']!)).toMatchObject({ registration: { state: 'unconfigured' } });
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');

    const again = run(['--diagnostics-bundle'], dataDir);
    expect(again.status).toBe(0);
    const made = fs.readdirSync(path.join(dataDir, 'diagnostics'));
    expect(made).toHaveLength(1);
    expect(made[0]).toMatch(/^calldesk-diagnostics-\d{8}-\d{6}\.zip$/);
  });
});
