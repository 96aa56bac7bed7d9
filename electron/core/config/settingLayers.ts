import fs from 'node:fs';
import { AppError } from '../../../shared/api/result';
import {
  SETTING_DEFAULTS,
  SETTING_KEYS,
  SETTING_SCHEMAS,
  isSettingKey,
  settingEnvName,
  type ConfigProblem,
  type SettingKey,
} from '../../../shared/settings/definitions';

/** Values of one configuration layer, validated. */
export type LayerValues = Partial<Record<SettingKey, unknown>>;

/** One configuration layer read from outside (policy, environment): its usable values and what was wrong. */
export interface ConfigLayer {
  values: LayerValues;
  problems: ConfigProblem[];
}

/** Validates one value for a key, throwing an error that names both. */
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
 * Every key in it is locked for the user. Nothing in it stops the app from starting: an unreadable
 * file or a bad value is reported as a problem naming the file, the key and the reason; a key with
 * a bad value stays locked at its built-in default (IT meant to fix it, so the user may not change it).
 */
export function readPolicyFile(file: string | undefined): ConfigLayer {
  const layer: ConfigLayer = { values: {}, problems: [] };
  if (!file || !fs.existsSync(file)) return layer;
  const origin = `Policy file ${file}`;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    layer.problems.push({ origin: file, message: `${origin} is not valid JSON: ${(err as Error).message}` });
    return layer;
  }
  if (typeof json !== 'object' || json === null || typeof (json as { settings?: unknown }).settings !== 'object' || (json as { settings?: unknown }).settings === null) {
    layer.problems.push({ origin: file, message: `${origin}: expected an object with a "settings" object` });
    return layer;
  }
  for (const [key, value] of Object.entries((json as { settings: Record<string, unknown> }).settings)) {
    try {
      layer.values[key as SettingKey] = validateSetting(key, value, origin);
    } catch (err) {
      layer.problems.push({ origin: file, key, message: (err as Error).message });
      if (isSettingKey(key)) layer.values[key] = SETTING_DEFAULTS[key];
    }
  }
  return layer;
}

/**
 * Reads settings from environment variables (`CALLDESK_UI_LANGUAGE=zh-CN`). Values are taken as
 * strings, or as JSON when the schema wants another type (`CALLDESK_UI_COMPACT=false`). A bad value
 * is reported as a problem naming the variable, the key and the reason, and ignored.
 */
export function readEnvLayer(env: Record<string, string | undefined>): ConfigLayer {
  const layer: ConfigLayer = { values: {}, problems: [] };
  for (const key of SETTING_KEYS) {
    const name = settingEnvName(key);
    const raw = env[name];
    if (raw === undefined) continue;
    const asString = SETTING_SCHEMAS[key].safeParse(raw);
    if (asString.success) {
      layer.values[key] = asString.data;
      continue;
    }
    let asJson: unknown = raw;
    try {
      asJson = JSON.parse(raw);
    } catch {
      // Not JSON: validate the raw string so the message says why.
    }
    try {
      layer.values[key] = validateSetting(key, asJson, `Environment variable ${name}`);
    } catch (err) {
      layer.problems.push({ origin: name, key, message: (err as Error).message });
    }
  }
  return layer;
}
