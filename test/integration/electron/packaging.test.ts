import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the real electron-builder offline on the project (output in a temp folder). A stand-in
// Electron folder replaces the download (shared/notes/platform.md: `--linux dir` with a local
// electronDist works here; installers need the network). It reads dist/ and rebuilds only the
// Electron bundles there (the renderer only when missing), so tests using dist/renderer are not disturbed.
const ROOT = path.resolve(__dirname, '../../..');
const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as { listPackage(archive: string, options: object): string[]; extractFile(archive: string, file: string): Buffer };
const asarFile = (archive: string, file: string) => asar.extractFile(archive, file);
const fuses = require('@electron/fuses') as { getCurrentFuseWire(binary: string): Promise<Record<string, number>> };
/** The stand-in Electron binary is a shell script carrying Electron's default fuse wire (version 1, 8 fuses), so the fuse step runs for real. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const DEFAULT_FUSES = '10110001';
const { addonAbi } = require('../../../scripts/check-native-abi.cjs') as { addonAbi(file: string): string | null };
const electronAbi = fs.readFileSync(path.join(ROOT, 'node_modules/electron/abi_version'), 'utf8').trim();
/** The ABI of the better-sqlite3 binary in node_modules: Node's here (tests need it), Electron's only after a rebuild for Electron. */
const installedAbi = addonAbi(path.join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));

/** The environment without npm's settings (npm run passes nodedir, which hides the offline failure). */
function withoutNpmConfig(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_/i.test(k)));
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('electron-builder packaging rules (offline --dir build)', () => {
  let work: string;
  const project = ROOT;

  /** `npm run pack:dir`'s packager (scripts/pack.mjs: electron-builder on a staging copy of the app). */
  const pack = (env: Record<string, string> = {}, { rebuild = false } = {}) => {
    const out = fs.mkdtempSync(path.join(work, 'out-'));
    const r = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'scripts/pack.mjs'),
        '--linux',
        'dir',
        `-c.electronDist=${path.join(work, 'electron-dist')}`,
        ...(rebuild ? [] : ['-c.npmRebuild=false']),
        `-c.directories.output=${out}`,
      ],
      {
        cwd: project,
        encoding: 'utf8',
        env: { ...(rebuild ? withoutNpmConfig(process.env) : process.env), CSC_IDENTITY_AUTO_DISCOVERY: 'false', CALLDESK_PACK_STAGE: fs.mkdtempSync(path.join(work, 'stage-')), ...env },
      },
    );
    return { status: r.status, output: `${r.stdout}\n${r.stderr}`, appDir: path.join(out, 'linux-unpacked') };
  };

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-pack-'));
    const only = fs.existsSync(path.join(ROOT, 'dist/renderer/index.html')) ? 'main,preload' : 'main,preload,renderer';
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--only', only], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    const dist = path.join(work, 'electron-dist');
    fs.mkdirSync(dist);
    fs.writeFileSync(path.join(dist, 'electron'), `#!/bin/sh\nexit 0\n# ${FUSE_SENTINEL}\x01\x08${DEFAULT_FUSES}\n`, { mode: 0o755 });
  });

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('packs dist/ and package.json into app.asar, with better-sqlite3 native code unpacked and nothing else', () => {
    const { status, output, appDir } = pack({ CALLDESK_SKIP_ABI_CHECK: '1' });
    expect(status, output).toBe(0);
    const archive = path.join(appDir, 'resources/app.asar');
    const files = asar.listPackage(archive, { isPack: false }).map((f) => f.split(path.sep).join('/'));
    for (const f of ['/package.json', '/dist/electron/main.cjs', '/dist/electron/preload.cjs', '/dist/renderer/index.html', '/node_modules/better-sqlite3/lib/index.js', '/node_modules/bindings/bindings.js']) {
      expect(files, f).toContain(f);
    }
    // Everything else is bundled into dist/: no browser host, no source maps, no other npm packages.
    expect(files.filter((f) => f.startsWith('/dist/host') || f.endsWith('.map'))).toEqual([]);
    const packages = new Set(files.filter((f) => f.startsWith('/node_modules/')).map((f) => f.split('/')[2]));
    expect([...packages].sort()).toEqual(['better-sqlite3', 'bindings', 'file-uri-to-path']);
    expect(fs.existsSync(path.join(appDir, 'resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(fs.existsSync(path.join(appDir, 'calldesk'))).toBe(true);
    // The Linux window icon, the same image as the installers' 256 px icon (npm run icons).
    expect(files).toContain('/dist/electron/icon.png');
    expect(asarFile(archive, 'dist/electron/icon.png').equals(fs.readFileSync(path.join(ROOT, 'resources/build/icons/256x256.png')))).toBe(true);
    // The update feed of the build: the generic provider, a placeholder URL when CALLDESK_UPDATE_URL is unset.
    expect(fs.readFileSync(path.join(appDir, 'resources/app-update.yml'), 'utf8')).toMatch(/provider: generic\nurl: https:\/\/updates\.invalid\/calldesk/);
  });

  it('flips the Electron fuses in the packaged binary: no run-as-Node, no NODE_OPTIONS or --inspect, app only from app.asar', async () => {
    const { status, output, appDir } = pack({ CALLDESK_SKIP_ABI_CHECK: '1' });
    expect(status, output).toBe(0);
    const wire = await fuses.getCurrentFuseWire(path.join(appDir, 'calldesk'));
    const [on, off] = [49, 48];
    expect(wire).toMatchObject({
      0: off, // RunAsNode
      1: on, // EnableCookieEncryption
      2: off, // EnableNodeOptionsEnvironmentVariable
      3: off, // EnableNodeCliInspectArguments
      4: on, // EnableEmbeddedAsarIntegrityValidation
      5: on, // OnlyLoadAppFromAsar
      7: off, // GrantFileProtocolExtraPrivileges
    });
  });

  it('never damages the development install, even when the rebuild for Electron fails offline (npm start still opens its database)', () => {
    const binary = path.join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    const before = { sha: sha256(binary), mtime: fs.statSync(binary).mtimeMs };
    // Without npm's nodedir, node-gyp must download Electron's headers: offline the rebuild fails
    // after cleaning its build folder. Run in place this used to delete the binary above.
    const { output } = pack({ CALLDESK_SKIP_ABI_CHECK: '1' }, { rebuild: true });
    expect(output).toContain('better-sqlite3');
    expect({ sha: sha256(binary), mtime: fs.statSync(binary).mtimeMs }).toEqual(before);
    const load = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], { cwd: ROOT, encoding: 'utf8' });
    expect(load.status, load.stderr).toBe(0);
  });

  it('refuses to produce a package whose better-sqlite3 is not built for Electron (accepts it when it is)', () => {
    const { status, output } = pack();
    if (installedAbi === electronAbi) {
      expect(status, output).toBe(0);
    } else {
      expect(status).not.toBe(0);
      expect(output).toContain(`built for ABI ${installedAbi}, Electron needs ${electronAbi}`);
    }
  });
});
