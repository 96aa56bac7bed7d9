// @vitest-environment jsdom
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRegQuery, registryValueToSetting } from '../../../../electron/core/config/osPolicy';
import { admx, adml, policyKind, policyTemplateFiles } from '../../../../electron/core/config/policyTemplates';
import { validateSetting } from '../../../../electron/core/config/settingLayers';
import { SETTING_DEFAULTS, SETTING_KEYS, type SettingKey } from '../../../../shared/settings/definitions';

// IT's policy documents are generated from the settings definitions: the committed copies must be
// what the code generates (run `npm run policy:templates` after adding a setting), and well formed.
const ROOT = path.resolve(__dirname, '../../../..');

function parseXml(text: string): Document {
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  return doc;
}

describe('policy templates (ADMX/ADML, policy keys table)', () => {
  it('the committed files are exactly what the settings definitions generate', () => {
    for (const [rel, content] of Object.entries(policyTemplateFiles())) {
      const file = path.join(ROOT, rel);
      expect(fs.existsSync(file), `${rel} missing: run npm run policy:templates`).toBe(true);
      expect(fs.readFileSync(file, 'utf8'), `${rel} is stale: run npm run policy:templates`).toBe(content);
    }
  });

  it('the ADMX has one machine policy per setting under the CallDesk policies key, and each name it uses is in both ADMLs', () => {
    const doc = parseXml(admx());
    const policies = [...doc.getElementsByTagName('policy')];
    expect(policies.map((p) => p.getAttribute('key'))).toEqual(SETTING_KEYS.map(() => 'Software\\Policies\\CallDesk'));
    const valueNames = policies.map((p) => p.getElementsByTagName('elements')[0]!.firstElementChild!.getAttribute('valueName'));
    expect(valueNames).toEqual(SETTING_KEYS);
    const stringRefs = [...admx().matchAll(/\$\(string\.([A-Za-z0-9_]+)\)/g)].map((m) => m[1]!);
    const presentationRefs = [...admx().matchAll(/\$\(presentation\.([A-Za-z0-9_]+)\)/g)].map((m) => m[1]!);
    for (const lang of ['en-US', 'zh-CN'] as const) {
      const res = parseXml(adml(lang));
      const strings = new Set([...res.getElementsByTagName('string')].map((s) => s.getAttribute('id')));
      const presentations = new Set([...res.getElementsByTagName('presentation')].map((s) => s.getAttribute('id')));
      expect(stringRefs.filter((r) => !strings.has(r)), lang).toEqual([]);
      expect(presentationRefs.filter((r) => !presentations.has(r)), lang).toEqual([]);
    }
    expect(adml('zh-CN')).toContain('电话号码默认国家/地区');
  });

  it('every default written to the registry as the template says reads back as the same setting', () => {
    // What Group Policy writes for each kind: DWORD for numbers and booleans, String otherwise (JSON for lists).
    for (const key of SETTING_KEYS as SettingKey[]) {
      const value = SETTING_DEFAULTS[key];
      const kind = policyKind(key).kind;
      const reg =
        kind === 'boolean'
          ? `    ${key}    REG_DWORD    0x${Number(value as boolean).toString(16)}`
          : typeof value === 'number'
            ? `    ${key}    REG_DWORD    0x${value.toString(16)}`
            : `    ${key}    REG_SZ    ${typeof value === 'string' ? value : JSON.stringify(value)}`;
      const parsed = parseRegQuery(`HKEY_LOCAL_MACHINE\\Software\\Policies\\CallDesk\r\n${reg}\r\n`);
      expect(validateSetting(key, registryValueToSetting(key, parsed[key]!), 'registry'), key).toEqual(value);
    }
  });
});
