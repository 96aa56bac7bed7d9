import { AppError } from '../../../shared/api/result';
import {
  SETTING_DEFAULTS,
  SETTING_KEYS,
  isSettingKey,
  type SettingKey,
  type ConfigProblem,
  type SettingSource,
  type SettingValue,
  type SettingsSnapshot,
  type SettingsValues,
} from '../../../shared/settings/definitions';
import type { Logger } from '../log/logger';
import type { SettingsRepository } from '../store/settingsRepository';
import { validateSetting, type ConfigLayer, type LayerValues } from './settingLayers';

/** The parts of the central layer, lowest first: the server's configuration, the user's provisioned account. */
export const CENTRAL_PARTS = ['config', 'provisioning'] as const;
/** One part of the central layer. */
export type CentralPart = (typeof CENTRAL_PARTS)[number];

/**
 * Effective settings from five layers, highest first:
 *
 *   system policy (locked)  >  environment  >  central server (locked)  >  user (SQLite)  >  defaults
 *
 * Policy is IT's word: neither an environment variable nor the user overrides a key it sets.
 * Environment variables fill what policy leaves open. Emits the new snapshot after every change.
 */
export class SettingsService {
  private user: LayerValues = {};
  private readonly policy: LayerValues;
  private readonly env: LayerValues;
  /** Policy and environment values that could not be used (shown in Settings, logged once). */
  private readonly problems: ConfigProblem[];
  /** Values the central server hands to desktops (dispositions, not-ready reasons, SLA rules; the provisioned SIP account). */
  private central: LayerValues = {};
  private readonly centralParts: Partial<Record<CentralPart, LayerValues>> = {};
  private revision = 0;
  private readonly listeners = new Set<(snapshot: SettingsSnapshot) => void>();

  constructor(
    private readonly repo: SettingsRepository,
    policy: ConfigLayer,
    env: ConfigLayer,
    private readonly logger: Logger,
  ) {
    this.policy = policy.values;
    this.env = env.values;
    this.problems = [...policy.problems, ...env.problems];
    for (const p of this.problems) logger.warn('configuration problem: value not used', { origin: p.origin, key: p.key, reason: p.message });
    for (const [key, value] of repo.all()) {
      if (!isSettingKey(key)) continue;
      try {
        this.user[key] = validateSetting(key, value, 'Stored user setting');
      } catch (err) {
        logger.warn('ignoring invalid stored setting', { key, reason: (err as Error).message });
      }
    }
  }

  /** The effective value of one key. */
  get<K extends SettingKey>(key: K): SettingValue<K> {
    return this.resolve(key).value as SettingValue<K>;
  }

  /** All effective values. */
  values(): SettingsValues {
    const out = {} as Record<SettingKey, unknown>;
    for (const key of SETTING_KEYS) out[key] = this.get(key);
    return out as SettingsValues;
  }

  /** The snapshot the UI shows: value, source and lock of every key. */
  snapshot(): SettingsSnapshot {
    return {
      revision: this.revision,
      entries: SETTING_KEYS.map((key) => {
        const { value, source } = this.resolve(key);
        const problem = this.problems.find((p) => p.key === key)?.message;
        return { key, value, source, locked: key in this.policy || key in this.central, ...(problem ? { problem } : {}) };
      }),
      ...(this.problems.length > 0 ? { problems: this.problems } : {}),
    };
  }

  /** Sets a user value after validation. Locked keys are refused. */
  set(key: string, value: unknown): SettingsSnapshot {
    if (!isSettingKey(key)) throw new AppError('UNKNOWN_SETTING', `Unknown setting "${key}"`, { key });
    if (key in this.policy) throw new AppError('SETTING_LOCKED', `Setting "${key}" is fixed by your organisation's policy`, { key });
    if (key in this.central) throw new AppError('SETTING_LOCKED', `Setting "${key}" is set by the central server`, { key });
    const parsed = validateSetting(key, value, 'Setting');
    this.repo.set(key, parsed);
    this.user[key] = parsed;
    this.logger.info('setting changed', { key });
    return this.changed();
  }

  /**
   * Replaces one part of the central layer (values from the central server, above the user's and
   * below policy and environment; a key set there is locked): `config` is the server's central
   * configuration, `provisioning` the SIP account an admin assigned to the signed-in user. Invalid
   * or unknown values are logged and ignored. Returns the keys that were accepted.
   */
  setCentral(values: Record<string, unknown>, part: CentralPart = 'config'): string[] {
    const next: LayerValues = {};
    for (const [key, value] of Object.entries(values)) {
      if (!isSettingKey(key)) continue;
      try {
        next[key] = validateSetting(key, value, 'Central setting');
      } catch (err) {
        this.logger.warn('ignoring invalid central setting', { key, reason: (err as Error).message });
      }
    }
    if (JSON.stringify(next) !== JSON.stringify(this.centralParts[part] ?? {})) {
      this.centralParts[part] = next;
      this.central = Object.assign({}, ...CENTRAL_PARTS.map((p) => this.centralParts[p] ?? {})) as LayerValues;
      this.logger.info('central settings applied', { part, keys: Object.keys(next) });
      this.changed();
    }
    return Object.keys(next);
  }

  private changed(): SettingsSnapshot {
    this.revision += 1;
    const snap = this.snapshot();
    for (const l of this.listeners) l(snap);
    return snap;
  }

  /** Subscribes to changes; returns an unsubscribe. */
  onChange(listener: (snapshot: SettingsSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private resolve(key: SettingKey): { value: unknown; source: SettingSource } {
    if (key in this.policy) return { value: this.policy[key], source: 'policy' };
    if (key in this.env) return { value: this.env[key], source: 'env' };
    if (key in this.central) return { value: this.central[key], source: 'server' };
    if (key in this.user) return { value: this.user[key], source: 'user' };
    return { value: SETTING_DEFAULTS[key], source: 'default' };
  }
}
