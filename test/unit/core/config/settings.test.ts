import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnvLayer, readPolicyFile } from '../../../../electron/core/config/settingLayers';
import { settingValue } from '../../../../shared/settings/definitions';
import { tempDataDir } from '../../../helpers/hostProcess';
import { createTestCore } from '../../../helpers/testCore';

function writePolicy(dir: string, policy: unknown) {
  fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify(policy));
}

describe('configuration layers', () => {
  it('runs on built-in defaults with no configuration', async () => {
    const { core } = await createTestCore();
    const snap = core.settings.snapshot();
    expect(settingValue(snap, 'ui.language')).toBe('system');
    expect(snap.entries.every((e) => e.source === 'default' && !e.locked)).toBe(true);
    await core.close();
  });

  it('orders defaults < user < central < env < policy, and locks policy keys against env and user', async () => {
    const dataDir = tempDataDir();
    writePolicy(dataDir, { settings: { 'server.url': 'https://policy.example.com', 'phone.defaultCountry': 'HK' } });
    const { core } = await createTestCore({ dataDir, env: { CALLDESK_PHONE_DEFAULT_COUNTRY: 'SG', CALLDESK_SERVER_URL: 'https://env.example.com', CALLDESK_LOG_LEVEL: 'debug' } });
    const entry = (k: string) => core.settings.snapshot().entries.find((e) => e.key === k)!;
    expect(entry('server.url')).toMatchObject({ value: 'https://policy.example.com', source: 'policy', locked: true });
    expect(entry('phone.defaultCountry')).toMatchObject({ value: 'HK', source: 'policy', locked: true });
    expect(entry('log.level')).toMatchObject({ value: 'debug', source: 'env', locked: false });
    expect(() => core.settings.set('server.url', 'https://mine.example.com')).toThrowError(expect.objectContaining({ code: 'SETTING_LOCKED' }));
    core.settings.set('ui.language', 'zh-CN');
    expect(entry('ui.language')).toMatchObject({ value: 'zh-CN', source: 'user', locked: false });
    await core.close();
  });

  // Every combination of the layers for one key: the highest layer that sets a valid value wins.
  const table: { policy?: unknown; env?: string; central?: unknown; user?: unknown; expect: { value: unknown; source: string; locked: boolean; problem?: boolean } }[] = [
    { expect: { value: 'CN', source: 'default', locked: false } },
    { user: 'US', expect: { value: 'US', source: 'user', locked: false } },
    { user: 'US', central: 'GB', expect: { value: 'GB', source: 'server', locked: true } },
    { user: 'US', central: 'GB', env: 'SG', expect: { value: 'SG', source: 'env', locked: true } },
    { user: 'US', central: 'GB', env: 'SG', policy: 'HK', expect: { value: 'HK', source: 'policy', locked: true } },
    { env: 'SG', policy: 'HK', expect: { value: 'HK', source: 'policy', locked: true } },
    { user: 'US', policy: 'HK', expect: { value: 'HK', source: 'policy', locked: true } },
    // Invalid values: policy stays locked at the default; env is ignored; both reported.
    { user: 'US', env: 'SG', policy: 'China', expect: { value: 'CN', source: 'policy', locked: true, problem: true } },
    { user: 'US', env: 'Singapore', expect: { value: 'US', source: 'user', locked: false, problem: true } },
    { env: 'Singapore', policy: 'HK', expect: { value: 'HK', source: 'policy', locked: true, problem: true } },
  ];
  for (const row of table) {
    const name = ['policy', 'env', 'central', 'user'].map((k) => `${k}=${JSON.stringify((row as Record<string, unknown>)[k] ?? '-')}`).join(' ');
    it(`precedence for phone.defaultCountry: ${name}`, async () => {
      const dataDir = tempDataDir();
      if (row.policy !== undefined) writePolicy(dataDir, { settings: { 'phone.defaultCountry': row.policy } });
      const { core } = await createTestCore({ dataDir, env: row.env !== undefined ? { CALLDESK_PHONE_DEFAULT_COUNTRY: row.env } : {} });
      if (row.user !== undefined) {
        try {
          core.settings.set('phone.defaultCountry', row.user);
        } catch (err) {
          expect(row.policy, 'only a policy key refuses the user').toBeDefined();
          expect(err).toMatchObject({ code: 'SETTING_LOCKED' });
        }
      }
      if (row.central !== undefined) core.settings.setCentral({ 'phone.defaultCountry': row.central });
      const entry = core.settings.snapshot().entries.find((e) => e.key === 'phone.defaultCountry')!;
      expect({ value: entry.value, source: entry.source, locked: entry.locked }).toEqual({ value: row.expect.value, source: row.expect.source, locked: row.expect.locked });
      expect(Boolean(entry.problem)).toBe(Boolean(row.expect.problem));
      if (row.expect.problem) expect(entry.problem).toMatch(/phone\.defaultCountry.*two-letter/);
      await core.close();
    });
  }

  it('keeps user settings in SQLite across restarts', async () => {
    const dataDir = tempDataDir();
    const first = await createTestCore({ dataDir });
    first.core.settings.set('phone.defaultCountry', 'US');
    await first.core.close();
    const second = await createTestCore({ dataDir });
    expect(second.core.settings.get('phone.defaultCountry')).toBe('US');
    await second.core.close();
  });

  it('an invalid policy file never stops the start: each problem is reported naming the file, the key and the reason', async () => {
    const dir = tempDataDir();
    const file = path.join(dir, 'policy.json');
    writePolicy(dir, { settings: { 'phone.defaultCountry': 'China', 'no.such.key': 1, 'ui.theme': 'dark' } });
    const layer = readPolicyFile(file);
    expect(layer.values).toEqual({ 'phone.defaultCountry': 'CN', 'ui.theme': 'dark' });
    expect(layer.problems).toEqual([
      { origin: file, key: 'phone.defaultCountry', message: expect.stringMatching(/phone\.defaultCountry.*two-letter/) },
      { origin: file, key: 'no.such.key', message: expect.stringContaining('unknown setting "no.such.key"') },
    ]);
    fs.writeFileSync(file, '{ not json');
    expect(readPolicyFile(file)).toEqual({ values: {}, problems: [{ origin: file, message: expect.stringContaining('not valid JSON') }] });
    fs.writeFileSync(file, '{ "settings": null }');
    expect(readPolicyFile(file).problems[0]!.message).toContain('expected an object with a "settings" object');

    // The core starts on it, shows the problems in the snapshot and writes them to the log.
    writePolicy(dir, { settings: { 'phone.defaultCountry': 'China' } });
    const { core } = await createTestCore({ dataDir: dir });
    const snap = core.settings.snapshot();
    expect(snap.problems).toEqual([{ origin: file, key: 'phone.defaultCountry', message: expect.stringContaining('two-letter') }]);
    await core.close();
    const log = fs.readFileSync(path.join(dir, 'logs', 'calldesk.log'), 'utf8');
    expect(log).toMatch(/configuration problem: value not used.*phone\.defaultCountry/);
  });

  it('an invalid environment variable is reported naming the variable, the key and the reason, and ignored', () => {
    expect(readEnvLayer({ CALLDESK_SERVER_URL: 'ftp://x' })).toEqual({
      values: {},
      problems: [{ origin: 'CALLDESK_SERVER_URL', key: 'server.url', message: expect.stringMatching(/CALLDESK_SERVER_URL.*server\.url.*http\(s\) URL/) }],
    });
    expect(readEnvLayer({ CALLDESK_UI_COMPACT: 'false', CALLDESK_UI_LANGUAGE: 'zh-CN' })).toEqual({ values: { 'ui.compact': false, 'ui.language': 'zh-CN' }, problems: [] });
  });

  it('refuses an invalid value from the UI with INVALID_SETTING naming the key', async () => {
    const { core } = await createTestCore();
    expect(() => core.settings.set('ui.language', 'fr-FR')).toThrowError(expect.objectContaining({ code: 'INVALID_SETTING', message: expect.stringContaining('ui.language') }));
    expect(() => core.settings.set('nope', 1)).toThrowError(expect.objectContaining({ code: 'UNKNOWN_SETTING' }));
    await core.close();
  });

  it('refuses to start on a database from a newer version', async () => {
    const dataDir = tempDataDir();
    const { core } = await createTestCore({ dataDir });
    core.db.pragma('user_version = 500');
    await core.close();
    await expect(createTestCore({ dataDir })).rejects.toMatchObject({ code: 'DB_TOO_NEW' });
  });
});
