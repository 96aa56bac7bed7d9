import { z } from 'zod';
import { AppError } from '../../shared/api/result';
import { SETTING_DEFAULTS, SETTING_SCHEMAS } from '../../shared/settings/definitions';
import { VISIBILITY_SCOPES, type VisibilityScope } from '../../shared/sync/protocol';
import type { SlaRule } from '../../shared/ticket/ticket';
import type { Db, Queryable } from '../db/db';
import { EVENTS_CHANNEL, stampChanges, Touched } from './changes';

/**
 * Central configuration handed to desktops through pull and the real-time channel. Keys shared with
 * the desktop settings use the same names and schemas (`shared/settings/definitions.ts`), so a
 * desktop applies them as a settings layer; `scope.*` are server-only access rules.
 */
export const SERVER_CONFIG_SCHEMAS = {
  'wrapup.dispositions': SETTING_SCHEMAS['wrapup.dispositions'],
  'agent.notReadyReasons': SETTING_SCHEMAS['agent.notReadyReasons'],
  'tickets.slaRules': SETTING_SCHEMAS['tickets.slaRules'],
  'tickets.categories': SETTING_SCHEMAS['tickets.categories'],
  /** The public key desktops verify monitoring tokens with: the server publishes its own at start (docs/monitoring.md). */
  'monitoring.serverKey': SETTING_SCHEMAS['monitoring.serverKey'],
  /** Whether agents see that a supervisor listens (centre policy). */
  'monitoring.showIndicator': SETTING_SCHEMAS['monitoring.showIndicator'],
  /** Which customers an agent sees. */
  'scope.customers': z.enum(VISIBILITY_SCOPES),
  /** Which tickets an agent sees. */
  'scope.tickets': z.enum(VISIBILITY_SCOPES),
} as const;
/** A central configuration key. */
export type ServerConfigKey = keyof typeof SERVER_CONFIG_SCHEMAS;
/** Every central configuration key. */
export const SERVER_CONFIG_KEYS = Object.keys(SERVER_CONFIG_SCHEMAS) as ServerConfigKey[];

/** Values used until an admin sets them. */
export const SERVER_CONFIG_DEFAULTS: { [K in ServerConfigKey]: z.infer<(typeof SERVER_CONFIG_SCHEMAS)[K]> } = {
  'wrapup.dispositions': SETTING_DEFAULTS['wrapup.dispositions'],
  'agent.notReadyReasons': SETTING_DEFAULTS['agent.notReadyReasons'],
  'tickets.slaRules': SETTING_DEFAULTS['tickets.slaRules'],
  'tickets.categories': SETTING_DEFAULTS['tickets.categories'],
  'monitoring.serverKey': SETTING_DEFAULTS['monitoring.serverKey'],
  'monitoring.showIndicator': SETTING_DEFAULTS['monitoring.showIndicator'],
  'scope.customers': 'team',
  'scope.tickets': 'team',
};

/** True for a known key. */
export function isServerConfigKey(key: string): key is ServerConfigKey {
  return key in SERVER_CONFIG_SCHEMAS;
}

/** How long a cached configuration is trusted without a change notification. */
const CACHE_MS = 5_000;

/**
 * Reads and writes central configuration. Reads are cached: every request checks the scopes, and
 * configuration changes rarely. A change made through any instance is announced by NOTIFY (see
 * `stampChanges`), which drops the cache of every listening instance; without a notification
 * (listener reconnecting) the cache expires after five seconds.
 */
export class ConfigService {
  private cache: { at: number; values: Record<ServerConfigKey, unknown> } | null = null;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Drops the cache whenever any instance changes configuration. */
  async listen(): Promise<void> {
    this.unlisten ??= await this.db.listen(EVENTS_CHANNEL, (payload) => {
      const note = JSON.parse(payload) as { kind?: string; config?: string[] };
      if (note.kind === 'changes' && (note.config?.length ?? 0) > 0) this.cache = null;
    });
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
  }

  /** Stores every default not yet stored (first start), so desktops pull a complete configuration. */
  async seedDefaults(): Promise<void> {
    await this.db.transaction(async (tx) => {
      const touched = new Touched();
      for (const key of SERVER_CONFIG_KEYS) {
        const { rowCount } = await tx.query('INSERT INTO config (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [
          key,
          JSON.stringify(SERVER_CONFIG_DEFAULTS[key]),
          this.now(),
        ]);
        if (rowCount > 0) touched.config.add(key);
      }
      await stampChanges(tx, touched);
    });
    this.cache = null;
  }

  /**
   * Every key with its value (stored, else default). Inside a transaction pass it as `q`: a cache
   * miss must not wait for a second connection (PGlite has one; a pool can run dry).
   */
  async all(q: Queryable = this.db): Promise<Record<ServerConfigKey, unknown>> {
    const now = Date.now();
    if (this.cache && now - this.cache.at < CACHE_MS) return this.cache.values;
    const { rows } = await q.query<{ key: string; value: unknown }>('SELECT key, value FROM config');
    const out: Record<string, unknown> = { ...SERVER_CONFIG_DEFAULTS };
    for (const r of rows) if (isServerConfigKey(r.key)) out[r.key] = r.value;
    const values = out as Record<ServerConfigKey, unknown>;
    this.cache = { at: now, values };
    return values;
  }

  /** One value (stored, else default). */
  async get<K extends ServerConfigKey>(key: K, q: Queryable = this.db): Promise<z.infer<(typeof SERVER_CONFIG_SCHEMAS)[K]>> {
    const parsed = SERVER_CONFIG_SCHEMAS[key].safeParse((await this.all(q))[key]);
    return (parsed.success ? parsed.data : SERVER_CONFIG_DEFAULTS[key]) as z.infer<(typeof SERVER_CONFIG_SCHEMAS)[K]>;
  }

  /** The two visibility scopes. */
  async scopes(q: Queryable = this.db): Promise<{ customers: VisibilityScope; tickets: VisibilityScope }> {
    return { customers: await this.get('scope.customers', q), tickets: await this.get('scope.tickets', q) };
  }

  /** SLA rules for tickets. */
  slaRules(q: Queryable = this.db): Promise<SlaRule[]> {
    return this.get('tickets.slaRules', q);
  }

  /** Validates and stores a value; desktops get it through pull and the real-time channel. */
  async set(key: string, value: unknown, by: string): Promise<unknown> {
    if (!isServerConfigKey(key)) throw new AppError('UNKNOWN_SETTING', `Unknown configuration key "${key}"`, { known: SERVER_CONFIG_KEYS });
    const parsed = SERVER_CONFIG_SCHEMAS[key].safeParse(value);
    if (!parsed.success) throw new AppError('INVALID_SETTING', `Invalid value for ${key}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`);
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO config (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, version = config.version + 1, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
        [key, JSON.stringify(parsed.data), this.now(), by],
      );
      const touched = new Touched();
      touched.config.add(key);
      await stampChanges(tx, touched);
    });
    this.cache = null;
    return parsed.data;
  }
}
