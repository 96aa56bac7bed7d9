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
import { readOsPolicy, type CommandRunner } from './osPolicy';

/** Values of one configuration layer, validated. */
export type LayerValues = Partial<Record<SettingKey, unknown>>;

/** One configuration layer read from outside (policy, environment): its usable values and what was wrong. */
export interface ConfigLayer {
  values: LayerValues;
  problems: ConfigProblem[];
}

/** A layer with nothing set. */
export const EMPTY_LAYER: ConfigLayer = Object.freeze({ values: Object.freeze({}), problems: Object.freeze([]) as unknown as ConfigProblem[] });

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
 * Validates raw policy values into a layer. A bad value is a problem naming the source, the key and
 * the reason; its key stays locked at the built-in default (IT meant to fix it, so the user may not
 * change it). `origin` names the source in messages, `source` is the short name in problems.
 */
export function policyLayer(origin: string, source: string, settings: Record<string, unknown>): ConfigLayer {
  const layer: ConfigLayer = { values: {}, problems: [] };
  for (const [key, value] of Object.entries(settings)) {
    try {
      layer.values[key as SettingKey] = validateSetting(key, value, origin);
    } catch (err) {
      layer.problems.push({ origin: source, key, message: (err as Error).message });
      if (isSettingKey(key)) layer.values[key] = SETTING_DEFAULTS[key];
    }
  }
  return layer;
}

/**
 * Reads the system policy file that IT provisions (JSON: `{ "settings": { "server.url": "..." } }`).
 * Every key in it is locked for the user. Nothing in it stops the app from starting: an unreadable
 * file or a bad value is reported as a problem (see policyLayer).
 */
export function readPolicyFile(file: string | undefined): ConfigLayer {
  if (!file || !fs.existsSync(file)) return { values: {}, problems: [] };
  const origin = `Policy file ${file}`;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return { values: {}, problems: [{ origin: file, message: `${origin} is not valid JSON: ${(err as Error).message}` }] };
  }
  const settings = typeof json === 'object' && json !== null ? (json as { settings?: unknown }).settings : undefined;
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    return { values: {}, problems: [{ origin: file, message: `${origin}: expected an object with a "settings" object` }] };
  }
  return policyLayer(origin, file, settings as Record<string, unknown>);
}

/**
 * The whole system policy: the policy file, overlaid key by key with the OS's management channel
 * where the platform has one (Windows Group Policy registry values, macOS configuration profiles:
 * osPolicy.ts), which IT tools manage centrally.
 */
export function readSystemPolicy(opts: { file: string | undefined; platform: string; run: CommandRunner }): ConfigLayer {
  const fromFile = readPolicyFile(opts.file);
  const os = readOsPolicy(opts.platform, opts.run);
  if (!os) return fromFile;
  const fromOs = policyLayer(os.origin, os.origin, os.values);
  return {
    values: { ...fromFile.values, ...fromOs.values },
    problems: [...fromFile.problems, ...(os.error ? [{ origin: os.origin, message: os.error }] : []), ...fromOs.problems],
  };
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
