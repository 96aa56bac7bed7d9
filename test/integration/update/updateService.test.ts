import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemScheduler } from '../../../electron/core/adapters/scheduler';
import type { Core } from '../../../electron/core/createCore';
import { downloadOnlyInstaller } from '../../../electron/core/update/downloadOnlyInstaller';
import { UpdateService, type UpdateInstaller, type UpdateTarget } from '../../../electron/core/update/updateService';
import { tempDataDir } from '../../helpers/hostProcess';
import { createTestCore } from '../../helpers/testCore';

// Controlled updates (issue 14, item 4): the core's decision table (channel, pinned and maximum
// version, staged rollout, disabled by policy, in-call deferral) against a real update feed served
// over HTTP, in electron-builder's format (latest-linux.yml + artefact + sha512).

const feedDir = tempDataDir('update-feed-');
let server: http.Server;
let feedUrl = '';
const requests: string[] = [];
let core: Core;
let policyCore: Core;

function publish(channelFile: string, version: string, opts: { tamper?: boolean } = {}): Buffer {
  const name = `CallDesk-${version}-linux-x86_64.AppImage`;
  const bytes = randomBytes(256 * 1024);
  fs.writeFileSync(path.join(feedDir, name), bytes);
  const sha512 = createHash('sha512').update(opts.tamper ? Buffer.from('something else') : bytes).digest('base64');
  fs.writeFileSync(
    path.join(feedDir, channelFile),
    [`version: ${version}`, 'files:', `  - url: ${name}`, `    sha512: ${sha512}`, `    size: ${bytes.byteLength}`, `path: ${name}`, `sha512: ${sha512}`, `releaseDate: '2026-12-01T08:00:00.000Z'`, ''].join('\n'),
  );
  return bytes;
}

let stableBytes: Buffer;

beforeAll(async () => {
  stableBytes = publish('latest-linux.yml', '1.3.0');
  publish('beta-linux.yml', '1.4.0-beta.1');
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const file = path.join(feedDir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(feedDir) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': fs.statSync(file).size });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/calldesk/`;
  fs.mkdirSync(path.join(feedDir, 'calldesk'), { recursive: true });
  for (const f of fs.readdirSync(feedDir)) if (f !== 'calldesk') fs.renameSync(path.join(feedDir, f), path.join(feedDir, 'calldesk', f));
  ({ core } = await createTestCore());
  const policyDir = tempDataDir();
  fs.writeFileSync(path.join(policyDir, 'policy.json'), JSON.stringify({ settings: { 'update.enabled': false, 'update.url': feedUrl } }));
  ({ core: policyCore } = await createTestCore({ dataDir: policyDir }));
});

afterAll(async () => {
  await core?.close();
  await policyCore?.close();
  await new Promise((r) => server?.close(r));
});

/** An update service on `c`'s settings, as the given version, with a verified-download installer. */
function service(c: Core, current: string, opts: { installId?: string; busy?: () => boolean; installer?: UpdateInstaller } = {}) {
  const dir = tempDataDir('update-dl-');
  const installer = opts.installer ?? downloadOnlyInstaller(dir, c.logger('update'));
  return { dir, installer, svc: new UpdateService({ settings: c.settings, currentVersion: current, platform: 'linux', installId: opts.installId ?? 'install-a', installer, busy: opts.busy ?? (() => false), scheduler: systemScheduler, now: Date.now, logger: c.logger('update') }) };
}

/** The rules the central server hands this desktop's team (locked, like policy for the user). */
function rules(values: Record<string, unknown>) {
  core.settings.setCentral({ 'update.url': feedUrl, ...values });
}

describe('update decision against a local HTTP feed', () => {
  const table: { name: string; current: string; rules: Record<string, unknown>; expect: { phase: string; available?: string; reason?: string } }[] = [
    { name: 'stable: a newer release is taken', current: '1.2.0', rules: {}, expect: { phase: 'ready', available: '1.3.0' } },
    { name: 'stable: the same version is up to date', current: '1.3.0', rules: {}, expect: { phase: 'idle', reason: 'up-to-date' } },
    { name: 'beta channel: the pre-release is taken', current: '1.3.0', rules: { 'update.channel': 'beta' }, expect: { phase: 'ready', available: '1.4.0-beta.1' } },
    { name: 'maximum version below the release: skipped', current: '1.2.0', rules: { 'update.maxVersion': '1.2.9' }, expect: { phase: 'idle', reason: 'above-maximum' } },
    { name: 'maximum version at the release: taken', current: '1.2.0', rules: { 'update.maxVersion': '1.3.0' }, expect: { phase: 'ready', available: '1.3.0' } },
    { name: 'pinned to another version: skipped', current: '1.2.0', rules: { 'update.pinnedVersion': '1.2.5' }, expect: { phase: 'idle', reason: 'not-pinned-version' } },
    { name: 'pinned to the release: taken even outside the rollout', current: '1.2.0', rules: { 'update.pinnedVersion': '1.3.0', 'update.rolloutPercent': 0 }, expect: { phase: 'ready', available: '1.3.0' } },
    { name: 'rollout 0 %: nobody', current: '1.2.0', rules: { 'update.rolloutPercent': 0 }, expect: { phase: 'idle', reason: 'not-in-rollout' } },
    { name: 'disabled by the server: no update', current: '1.2.0', rules: { 'update.enabled': false }, expect: { phase: 'off', reason: 'disabled' } },
  ];
  for (const row of table) {
    it(row.name, async () => {
      rules(row.rules);
      const { svc, dir } = service(core, row.current);
      const st = await svc.check();
      expect({ phase: st.phase, available: st.available ?? undefined, reason: st.skipped?.reason }).toEqual({ phase: row.expect.phase, available: row.expect.available, reason: row.expect.reason });
      if (row.expect.phase === 'ready') {
        // The artefact was downloaded and matches the feed's sha512.
        const files = fs.readdirSync(dir);
        expect(files).toEqual([`CallDesk-${row.expect.available}-linux-x86_64.AppImage`]);
        if (row.expect.available === '1.3.0') expect(fs.readFileSync(path.join(dir, files[0]!)).equals(stableBytes)).toBe(true);
      }
    });
  }

  it('disabled by policy: the feed is never read, and neither the server nor the user can turn it on', async () => {
    const before = requests.length;
    const { svc } = service(policyCore, '1.2.0');
    expect(await svc.check()).toMatchObject({ phase: 'off', skipped: { reason: 'disabled' } });
    expect(requests.length).toBe(before);
    policyCore.settings.setCentral({ 'update.enabled': true });
    expect(policyCore.settings.get('update.enabled')).toBe(false);
    expect(() => policyCore.settings.set('update.enabled', true)).toThrowError(expect.objectContaining({ code: 'SETTING_LOCKED' }));
  });

  it('staged rollout: a stable hash of the install id picks about the given share, the same desktops on every check', async () => {
    rules({ 'update.rolloutPercent': 30 });
    const ids = Array.from({ length: 200 }, (_, i) => `install-${i}`);
    const pick = async () => {
      const taken: string[] = [];
      for (const id of ids) {
        // Decisions only: an installer that takes nothing.
        const { svc } = service(core, '1.2.0', { installId: id, installer: { download: async () => undefined, install: () => undefined } });
        if ((await svc.check()).phase === 'ready') taken.push(id);
      }
      return taken;
    };
    const first = await pick();
    expect(first.length).toBeGreaterThan(40);
    expect(first.length).toBeLessThan(80);
    expect(await pick()).toEqual(first);
  });

  it('an artefact that does not match the feed sha512 is deleted and not offered', async () => {
    publish('latest-linux.yml', '1.3.1', { tamper: true });
    for (const f of fs.readdirSync(feedDir)) if (f !== 'calldesk') fs.renameSync(path.join(feedDir, f), path.join(feedDir, 'calldesk', f));
    try {
      rules({});
      const { svc, dir } = service(core, '1.2.0');
      const st = await svc.check();
      expect(st).toMatchObject({ phase: 'error', available: null, error: expect.stringContaining('does not match the feed') });
      expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
    } finally {
      stableBytes = publish('latest-linux.yml', '1.3.0');
      for (const f of fs.readdirSync(feedDir)) if (f !== 'calldesk') fs.renameSync(path.join(feedDir, f), path.join(feedDir, 'calldesk', f));
    }
  });
});

describe('when a ready update installs', () => {
  it('never during a call or wrap-up; at idle the agent is asked and may postpone at most N times; then it installs at the next idle moment', async () => {
    rules({ 'update.maxPostpones': 2 });
    let busy = true;
    const installed: UpdateTarget[] = [];
    const dir = tempDataDir('update-dl-');
    const base = downloadOnlyInstaller(dir, core.logger('update'));
    const { svc } = service(core, '1.2.0', { busy: () => busy, installer: { download: (t) => base.download(t), install: (t) => void installed.push(t) } });

    expect(await svc.check()).toMatchObject({ phase: 'ready', available: '1.3.0', timing: 'wait', postponesLeft: 2 });
    expect(() => svc.installNow()).toThrowError(expect.objectContaining({ code: 'UNAVAILABLE' }));
    expect(svc.poke()).toMatchObject({ phase: 'ready', timing: 'wait' });
    expect(installed).toEqual([]);

    busy = false; // call and wrap-up over
    expect(svc.poke()).toMatchObject({ phase: 'ready', timing: 'ask', postponesLeft: 2 });
    expect(svc.postpone()).toMatchObject({ timing: 'ask', postponesLeft: 1 });
    busy = true; // the next call: still nothing installs, even with no postpone left
    expect(svc.postpone()).toMatchObject({ timing: 'wait', postponesLeft: 0 });
    expect(() => svc.postpone()).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(svc.poke()).toMatchObject({ phase: 'ready', timing: 'wait' });
    expect(installed).toEqual([]);

    busy = false;
    expect(svc.poke()).toMatchObject({ phase: 'installing' });
    expect(installed.map((t) => t.version)).toEqual(['1.3.0']);
  });
});
