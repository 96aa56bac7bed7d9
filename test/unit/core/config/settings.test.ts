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

  it('orders defaults < policy < user < env, and locks policy keys', async () => {
    const dataDir = tempDataDir();
    writePolicy(dataDir, { settings: { 'server.url': 'https://policy.example.com', 'phone.defaultCountry': 'HK' } });
    const { core } = await createTestCore({ dataDir, env: { CALLDESK_PHONE_DEFAULT_COUNTRY: 'SG' } });
    const entry = (k: string) => core.settings.snapshot().entries.find((e) => e.key === k)!;
    expect(entry('server.url')).toMatchObject({ value: 'https://policy.example.com', source: 'policy', locked: true });
    expect(entry('phone.defaultCountry')).toMatchObject({ value: 'SG', source: 'env', locked: true });
    expect(() => core.settings.set('server.url', 'https://mine.example.com')).toThrowError(expect.objectContaining({ code: 'SETTING_LOCKED' }));
    core.settings.set('ui.language', 'zh-CN');
    expect(entry('ui.language')).toMatchObject({ value: 'zh-CN', source: 'user', locked: false });
    await core.close();
  });

  it('keeps user settings in SQLite across restarts', async () => {
    const dataDir = tempDataDir();
    const first = await createTestCore({ dataDir });
    first.core.settings.set('phone.defaultCountry', 'US');
    await first.core.close();
    const second = await createTestCore({ dataDir });
    expect(second.core.settings.get('phone.defaultCountry')).toBe('US');
    await second.core.close();
  });

  it('fails on an invalid policy file with a message naming the key and the reason', () => {
    const dir = tempDataDir();
    writePolicy(dir, { settings: { 'phone.defaultCountry': 'China' } });
    expect(() => readPolicyFile(path.join(dir, 'policy.json'))).toThrowError(/phone\.defaultCountry.*two-letter/);
    writePolicy(dir, { settings: { 'no.such.key': 1 } });
    expect(() => readPolicyFile(path.join(dir, 'policy.json'))).toThrowError(/unknown setting "no\.such\.key"/);
    fs.writeFileSync(path.join(dir, 'policy.json'), '{ not json');
    expect(() => readPolicyFile(path.join(dir, 'policy.json'))).toThrowError(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('not valid JSON') }));
  });

  it('fails on an invalid environment variable naming the variable, the key and the reason', () => {
    expect(() => readEnvLayer({ CALLDESK_SERVER_URL: 'ftp://x' })).toThrowError(/CALLDESK_SERVER_URL.*server\.url.*http\(s\) URL/);
    expect(readEnvLayer({ CALLDESK_UI_COMPACT: 'false', CALLDESK_UI_LANGUAGE: 'zh-CN' })).toEqual({ 'ui.compact': false, 'ui.language': 'zh-CN' });
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
