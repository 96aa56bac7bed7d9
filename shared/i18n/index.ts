import { LANGUAGES, type Language } from '../settings/definitions';
import { enUS, type Messages } from './locales/en-US';
import { zhCN } from './locales/zh-CN';

/** All UI resources by language. */
export const RESOURCES: Record<Language, Messages> = { 'en-US': enUS, 'zh-CN': zhCN };

/** Picks the UI language: an explicit choice, else the OS locale (any zh-* -> zh-CN), else en-US. */
export function resolveLanguage(choice: string, osLocale: string): Language {
  if ((LANGUAGES as readonly string[]).includes(choice)) return choice as Language;
  return osLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US';
}

/** Flattens a nested message object into dotted keys (`settings.keys.ui.language` stays one key per leaf). */
export function flattenKeys(obj: object, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') out.push(...flattenKeys(v as object, key));
    else out.push(key);
  }
  return out;
}
