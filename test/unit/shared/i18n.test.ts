import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOURCES, flattenKeys, resolveLanguage } from '../../../shared/i18n';
import { ERROR_CODES } from '../../../shared/api/result';
import { SETTING_KEYS } from '../../../shared/settings/definitions';
import { ROOT } from '../../helpers/hostProcess';
import { shellEnUS } from '../../../shared/i18n/locales/shell.en-US';
import { shellZhCN } from '../../../shared/i18n/locales/shell.zh-CN';

const en = new Set(flattenKeys(RESOURCES['en-US']));
const zh = new Set(flattenKeys(RESOURCES['zh-CN']));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(d.name) ? [p] : [];
  });
}

describe('i18n resources', () => {
  it('zh-CN has every en-US key and no extra', () => {
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
    expect([...zh].filter((k) => !en.has(k))).toEqual([]);
  });

  it('the Electron shell strings are complete in both languages', () => {
    expect(flattenKeys(shellZhCN).sort()).toEqual(flattenKeys(shellEnUS).sort());
  });

  it('no value is empty in either language', () => {
    for (const [lng, messages] of Object.entries(RESOURCES)) {
      const walk = (o: object, p: string): void => {
        for (const [k, v] of Object.entries(o)) {
          if (v && typeof v === 'object') walk(v as object, `${p}${k}.`);
          else expect(String(v).trim(), `${lng} ${p}${k}`).not.toBe('');
        }
      };
      walk(messages, '');
    }
  });

  it('every literal key used by the renderer exists', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(path.join(ROOT, 'renderer'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) {
        if (!en.has(m[1]!)) missing.push(`${path.relative(ROOT, file)}: ${m[1]}`);
      }
      for (const m of text.matchAll(/labelKey:\s*'([a-zA-Z0-9_.-]+)'|titleKey:\s*'([a-zA-Z0-9_.-]+)'/g)) {
        const key = m[1] ?? m[2]!;
        if (!en.has(key)) missing.push(`${path.relative(ROOT, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every setting has a label and help text, and every error code a message', () => {
    for (const key of SETTING_KEYS) {
      expect(en.has(`settings.keys.${key}`), key).toBe(true);
      expect(en.has(`settings.help.${key}`), key).toBe(true);
    }
    for (const code of ERROR_CODES) expect(en.has(`errors.${code}`), code).toBe(true);
  });

  it('zh-CN uses one term for the disposition of a wrap-up (处理结果), never 通话小结', () => {
    const values = (m: unknown): string[] => (typeof m === 'string' ? [m] : m && typeof m === 'object' ? Object.values(m).flatMap(values) : []);
    expect(values(RESOURCES['zh-CN']).filter((v) => v.includes('通话小结'))).toEqual([]);
    const zhMessages = RESOURCES['zh-CN'] as unknown as { workflow: { wrapUp: { disposition: string } }; settings: { labels: Record<string, string> } };
    expect(zhMessages.workflow.wrapUp.disposition).toBe('处理结果');
  });

  it('follows the OS locale unless a language is chosen', () => {
    expect(resolveLanguage('system', 'zh-TW')).toBe('zh-CN');
    expect(resolveLanguage('system', 'de-DE')).toBe('en-US');
    expect(resolveLanguage('en-US', 'zh-CN')).toBe('en-US');
  });
});
