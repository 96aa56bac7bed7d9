import type { Db } from './db';

/** One numbered schema migration. */
export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
}

/** Advisory lock key serialising migrations between server instances starting together. */
const MIGRATION_LOCK = 7_246_001;

/** What {@link migrate} did. */
export interface MigrationReport {
  from: number;
  to: number;
  applied: number[];
}

/**
 * Brings the schema up to the newest migration in ONE transaction (all or nothing), recording each
 * applied version in `schema_migrations`. A database from a newer server (a version this build does
 * not know) is refused and left untouched.
 */
export async function migrate(db: Db, migrations: readonly ServerMigration[]): Promise<MigrationReport> {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Server migrations must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}`);
  });
  const latest = sorted.length;
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const { rows } = await tx.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    const current = rows[0]?.v ?? 0;
    if (current > latest) {
      throw new Error(`The database schema is version ${current}, newer than this server (${latest}): refusing to touch it`);
    }
    const applied: number[] = [];
    for (const m of sorted) {
      if (m.version <= current) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return { from: current, to: latest, applied };
  });
}
