import type Database from 'better-sqlite3';
import { z } from 'zod';

const rowSchema = z.object({ key: z.string(), value_json: z.string() });

/** Persists user-layer settings as JSON values. Rows are parsed before they leave the store. */
export class SettingsRepository {
  private readonly selectAll: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly now: () => number) {
    this.selectAll = db.prepare('SELECT key, value_json FROM settings ORDER BY key');
    this.upsert = db.prepare(
      'INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at',
    );
    this.remove = db.prepare('DELETE FROM settings WHERE key = ?');
  }

  /** All stored user values; a row whose JSON is unreadable is skipped, never fatal. */
  all(): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const raw of this.selectAll.all()) {
      const row = rowSchema.parse(raw);
      try {
        out.set(row.key, JSON.parse(row.value_json));
      } catch {
        // A corrupt value is ignored so the layer below (policy or default) applies.
      }
    }
    return out;
  }

  /** Stores one user value. */
  set(key: string, value: unknown): void {
    this.upsert.run(key, JSON.stringify(value), this.now());
  }

  /** Removes a user value so the layer below applies again. */
  delete(key: string): void {
    this.remove.run(key);
  }
}
