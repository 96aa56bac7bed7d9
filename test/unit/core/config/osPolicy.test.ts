import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MANAGED_PREFERENCES_FILE,
  REGISTRY_POLICY_KEY,
  parseRegQuery,
  readManagedPreferences,
  readRegistryPolicy,
  type CommandRunner,
} from '../../../../electron/core/config/osPolicy';
import { readSystemPolicy } from '../../../../electron/core/config/settingLayers';
import { tempDataDir } from '../../../helpers/hostProcess';
import { createTestCore } from '../../../helpers/testCore';

// System policy from Windows Group Policy (registry) and macOS configuration profiles (managed
// preferences), read through the OS tools' real output formats (fixtures captured in their format).
const FIXTURES = path.resolve(__dirname, '../../../fixtures/policy');
const regQuery = fs.readFileSync(path.join(FIXTURES, 'reg-query.txt'), 'utf8');
const plutilJson = fs.readFileSync(path.join(FIXTURES, 'managed-preferences.json'), 'utf8');

/** A runner that answers one command with the fixture and fails every other (as on a machine without that policy). */
function runner(command: string, output: string): CommandRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const run = ((cmd: string, args: string[]) => {
    calls.push([cmd, ...args]);
    return cmd === command ? output : null;
  }) as CommandRunner & { calls: string[][] };
  run.calls = calls;
  return run;
}

describe('Windows Group Policy (registry)', () => {
  it('parses reg query output: names, types and data, empty data included', () => {
    const values = parseRegQuery(regQuery);
    expect(values['server.url']).toEqual({ type: 'REG_SZ', data: 'https://calldesk.corp.example' });
    expect(values['ui.compact']).toEqual({ type: 'REG_DWORD', data: '0x0' });
    expect(values['sip.displayName']).toEqual({ type: 'REG_SZ', data: '' });
    expect(Object.keys(values)).toHaveLength(8);
  });

  it('converts each value to the setting type: DWORD to number or boolean, MULTI_SZ to a list, JSON text to a list', () => {
    const run = runner('reg', regQuery);
    const policy = readRegistryPolicy(run)!;
    expect(run.calls).toEqual([['reg', 'query', REGISTRY_POLICY_KEY]]);
    expect(policy.values).toMatchObject({
      'server.url': 'https://calldesk.corp.example',
      'ui.compact': false,
      'sip.registerExpires': 300,
      'sip.mappedHeaders': ['X-Queue', 'X-Account'],
      'phone.pbxPrefixes': ['9', '8'],
      'sip.displayName': '',
      'wrapup.mode': 'time-boxed',
    });
  });

  it('locks the registry values over the policy file, and reports a bad one naming the registry key', () => {
    const dir = tempDataDir();
    const file = path.join(dir, 'policy.json');
    fs.writeFileSync(file, JSON.stringify({ settings: { 'server.url': 'https://from-file.example', 'log.level': 'warn' } }));
    const layer = readSystemPolicy({ file, platform: 'win32', run: runner('reg', regQuery) });
    expect(layer.values['server.url']).toBe('https://calldesk.corp.example');
    expect(layer.values['log.level']).toBe('warn');
    expect(layer.values['phone.defaultCountry']).toBe('CN');
    expect(layer.problems).toEqual([{ origin: `Registry ${REGISTRY_POLICY_KEY}`, key: 'phone.defaultCountry', message: expect.stringContaining('two-letter') }]);
  });

  it('no policy deployed (reg query fails): only the policy file counts', () => {
    expect(readSystemPolicy({ file: undefined, platform: 'win32', run: () => null })).toEqual({ values: {}, problems: [] });
  });
});

describe('macOS configuration profile (managed preferences)', () => {
  it('reads the profile through plutil, keeps setting keys and drops the profile bookkeeping', () => {
    const run = runner('plutil', plutilJson);
    const policy = readManagedPreferences(run)!;
    expect(run.calls).toEqual([['plutil', '-convert', 'json', '-o', '-', MANAGED_PREFERENCES_FILE]]);
    expect(policy.values).toEqual({
      'server.url': 'https://calldesk.corp.example',
      'ui.compact': false,
      'sip.registerExpires': 300,
      'sip.mappedHeaders': ['X-Queue', 'X-Account'],
      'log.level': 'verbose',
    });
  });

  it('a core on macOS starts with the profile locked in and its bad value reported', async () => {
    const { core } = await createTestCore({ adapters: { runCommand: runner('plutil', plutilJson) }, platform: 'darwin' });
    const entry = (k: string) => core.settings.snapshot().entries.find((e) => e.key === k)!;
    expect(entry('server.url')).toMatchObject({ value: 'https://calldesk.corp.example', source: 'policy', locked: true });
    expect(entry('log.level')).toMatchObject({ value: 'info', source: 'policy', locked: true, problem: expect.stringContaining('log.level') });
    expect(core.settings.snapshot().problems).toHaveLength(1);
    await core.close();
  });

  it('an unreadable profile is a problem, never a failed start', () => {
    const layer = readSystemPolicy({ file: undefined, platform: 'darwin', run: () => '{ not json' });
    expect(layer.values).toEqual({});
    expect(layer.problems).toEqual([{ origin: `Managed preferences ${MANAGED_PREFERENCES_FILE}`, message: expect.stringContaining('could not be read') }]);
  });
});
