import fs from 'node:fs';
import { AppError } from '../../../shared/api/result';
import {
  SETTING_KEYS,
  SETTING_SCHEMAS,
  isSettingKey,
  settingEnvName,
  type SettingKey,
} from '../../../shared/settings/definitions';

/** Values of one configuration layer, validated. */
export type LayerValues = Partial<Record<SettingKey, unknown>>;

/** Validates one value for a key, throwing a CONFIG_INVALID error that names both. */
export function validateSetting(key: string, value: unknown, origin: string): unknown {
  if (!isSettingKey(key)) throw new AppError('UNKNOWN_SETTING', `${origin}: unknown setting "${key}"`, { key });
  const parsed = SETTING_SCHEMAS[key].safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => i.message).join('; ');
    throw new AppError('INVALID_SETTING', `${origin}: setting "${key}" ${reason}`, { key, reason });
  }
  return parsed.data;
}

/**
 * Reads the system policy file that IT provisions (JSON: `{ "settings": { "server.url": "..." } }`).
 * Every key in it is locked for the user. A missing file is an empty policy; a malformed one fails
 * with a message naming the file, the key and the reason.
 */
export function readPolicyFile(file: string | undefined): LayerValues {
  if (!file || !fs.existsSync(file)) return {};
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `Policy file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || typeof (json as { settings?: unknown }).settings !== 'object') {
    throw new AppError('CONFIG_INVALID', `Policy file ${file}: expected an object with a "settings" object`);
  }
  const out: LayerValues = {};
  for (const [key, value] of Object.entries((json as { settings: Record<string, unknown> }).settings)) {
    try {
      out[key as SettingKey] = validateSetting(key, value, `Policy file ${file}`);
    } catch (err) {
      throw new AppError('CONFIG_INVALID', (err as Error).message, { key, file });
    }
  }
  return out;
}

/**
 * Reads settings from environment variables (`CALLDESK_UI_LANGUAGE=zh-CN`). Values are taken as
 * strings, or as JSON when the schema wants another type (`CALLDESK_UI_COMPACT=false`).
 */
export function readEnvLayer(env: Record<string, string | undefined>): LayerValues {
  const out: LayerValues = {};
  for (const key of SETTING_KEYS) {
    const name = settingEnvName(key);
    const raw = env[name];
    if (raw === undefined) continue;
    const asString = SETTING_SCHEMAS[key].safeParse(raw);
    if (asString.success) {
      out[key] = asString.data;
      continue;
    }
    let asJson: unknown = raw;
    try {
      asJson = JSON.parse(raw);
    } catch {
      // Not JSON: validate the raw string so the error says why.
    }
    try {
      out[key] = validateSetting(key, asJson, `Environment variable ${name}`);
    } catch (err) {
      throw new AppError('CONFIG_INVALID', (err as Error).message, { key, env: name });
    }
  }
  return out;
}
