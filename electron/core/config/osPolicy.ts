import { spawnSync } from 'node:child_process';
import { SETTING_SCHEMAS, isSettingKey } from '../../../shared/settings/definitions';

/**
 * System policy from the OS's own management channels, beside the policy file:
 * - Windows: Group Policy writes values under HKLM\Software\Policies\CallDesk (template:
 *   resources/policy/windows/CallDesk.admx); read with `reg query`.
 * - macOS: a configuration profile for the domain com.calldesk.desktop lands in
 *   /Library/Managed Preferences/com.calldesk.desktop.plist; read with `plutil -convert json`.
 * Value names are the setting keys (`server.url`). Lists and objects are JSON text.
 */

/** The registry key Group Policy writes CallDesk's settings to. */
export const REGISTRY_POLICY_KEY = 'HKLM\\Software\\Policies\\CallDesk';
/** The preference domain of CallDesk's macOS configuration profiles. */
export const MANAGED_PREFERENCES_DOMAIN = 'com.calldesk.desktop';
/** Where macOS puts the computer-wide managed preferences of that domain. */
export const MANAGED_PREFERENCES_FILE = `/Library/Managed Preferences/${MANAGED_PREFERENCES_DOMAIN}.plist`;

/** Runs a command and returns its standard output, or null when it fails or does not exist. */
export type CommandRunner = (command: string, args: string[]) => string | null;

/** The real runner: a short, synchronous child process (policy is read once at start). */
export const runCommand: CommandRunner = (command, args) => {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 5000, windowsHide: true });
  return r.status === 0 && typeof r.stdout === 'string' ? r.stdout : null;
};

/** Raw policy values from one OS source, before validation. */
export interface OsPolicy {
  /** Names the source in problems ("Registry HKLM\…", "Managed preferences …"). */
  origin: string;
  values: Record<string, unknown>;
  /** Set when the source exists but could not be read. */
  error?: string;
}

/** One value as `reg query` prints it. */
export interface RegistryValue {
  type: string;
  data: string;
}

/**
 * Parses `reg query <key>` output: a header line with the key, then one line per value indented by
 * four spaces: `    name    REG_TYPE    data` (data may be empty or contain spaces).
 */
export function parseRegQuery(text: string): Record<string, RegistryValue> {
  const out: Record<string, RegistryValue> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^ {4}(\S(?:.*?\S)?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line);
    if (m) out[m[1]!] = { type: m[2]!, data: m[3] ?? '' };
  }
  return out;
}

/**
 * Converts a registry value to what the setting's schema takes: DWORD/QWORD (printed as 0x…) to a
 * number, or to a boolean for a boolean setting; MULTI_SZ (`\0`-separated) to a list; a string to
 * itself, or to the JSON it holds when the setting wants a list, an object or a number.
 */
export function registryValueToSetting(key: string, value: RegistryValue): unknown {
  const schema = isSettingKey(key) ? SETTING_SCHEMAS[key] : undefined;
  if (value.type === 'REG_DWORD' || value.type === 'REG_QWORD') {
    const n = Number.parseInt(value.data, value.data.toLowerCase().startsWith('0x') ? 16 : 10);
    if (schema && !schema.safeParse(n).success && schema.safeParse(n !== 0).success) return n !== 0;
    return n;
  }
  if (value.type === 'REG_MULTI_SZ') return value.data === '' ? [] : value.data.split('\\0');
  if (!schema || schema.safeParse(value.data).success) return value.data;
  try {
    return JSON.parse(value.data) as unknown;
  } catch {
    return value.data;
  }
}

/** Reads the Group Policy values; null when the key does not exist (no policy deployed). */
export function readRegistryPolicy(run: CommandRunner): OsPolicy | null {
  const text = run('reg', ['query', REGISTRY_POLICY_KEY]);
  if (text === null) return null;
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parseRegQuery(text))) values[name] = registryValueToSetting(name, value);
  return { origin: `Registry ${REGISTRY_POLICY_KEY}`, values };
}

/**
 * Reads the managed preferences of a configuration profile (plutil's JSON of the plist); null when
 * no profile is installed. Values are plist types already (string, integer, boolean, array, dict).
 */
export function readManagedPreferences(run: CommandRunner, file = MANAGED_PREFERENCES_FILE): OsPolicy | null {
  const text = run('plutil', ['-convert', 'json', '-o', '-', file]);
  if (text === null) return null;
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { origin: `Managed preferences ${file}`, values: {} };
  // Profiles carry bookkeeping keys of their own (PayloadUUID …): only setting keys are policy.
  const values = Object.fromEntries(Object.entries(parsed as Record<string, unknown>).filter(([k]) => isSettingKey(k) || k.includes('.')));
  return { origin: `Managed preferences ${file}`, values };
}

/** The OS policy source of this platform, if it has one and it is deployed. */
export function readOsPolicy(platform: string, run: CommandRunner): OsPolicy | null {
  try {
    if (platform === 'win32') return readRegistryPolicy(run);
    if (platform === 'darwin') return readManagedPreferences(run);
  } catch (err) {
    const origin = platform === 'win32' ? `Registry ${REGISTRY_POLICY_KEY}` : `Managed preferences ${MANAGED_PREFERENCES_FILE}`;
    return { origin, values: {}, error: `${origin} could not be read: ${(err as Error).message}` };
  }
  return null;
}
