import type Database from 'better-sqlite3';

/** Small named values kept in the `meta` table (sync cursor, client id, central settings). */
export class MetaStore {
  constructor(private readonly db: Database.Database) {}

  /** The stored text, or null. */
  get(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  /** Stores text under `key` (replacing). */
  set(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Removes `key`. */
  delete(key: string): void {
    this.db.prepare('DELETE FROM meta WHERE key = ?').run(key);
  }

  /** The stored JSON value, or `fallback` when missing or unreadable. */
  getJson<T>(key: string, fallback: T): T {
    const text = this.get(key);
    if (text === null) return fallback;
    try {
      return JSON.parse(text) as T;
    } catch {
      return fallback;
    }
  }

  /** Stores a value as JSON. */
  setJson(key: string, value: unknown): void {
    this.set(key, JSON.stringify(value));
  }
}
