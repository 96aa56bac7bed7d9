import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';
import type { Logger } from '../log/logger';
import type { Migration } from './migration';
import { MIGRATIONS } from './migrations';

/** Options for opening the local database. */
export interface OpenDatabaseOptions {
  /** File path, or `:memory:`. */
  file: string;
  logger?: Logger;
  migrations?: readonly Migration[];
  /** Path to a better-sqlite3 native binding built for another runtime (Electron). */
  nativeBinding?: string;
}

/** Reads the schema version recorded in the file without writing anything. */
export function readSchemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database to the latest schema. Pending migrations run in one transaction and the
 * new version is recorded in `user_version`. A database from a newer app version is refused before
 * anything is written.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS, logger?: Logger): number {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const current = readSchemaVersion(db);
  if (current > latest) {
    throw new AppError(
      'DB_TOO_NEW',
      `The local database was written by a newer CallDesk (schema ${current}; this version knows up to ${latest}). Update CallDesk; the database was left untouched.`,
      { current, latest },
    );
  }
  const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return current;
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      logger?.info('migration applied', { version: m.version, migration: m.name });
    }
    db.pragma(`user_version = ${latest}`);
  })();
  return latest;
}

/**
 * Opens (creating if needed) the local SQLite database, refuses one from a newer version with the
 * file left byte-identical, then switches to WAL and migrates.
 */
export function openDatabase({ file, logger, migrations = MIGRATIONS, nativeBinding }: OpenDatabaseOptions): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const options: Database.Options = nativeBinding ? { nativeBinding } : {};
  let db: Database.Database;
  try {
    db = new Database(file, options);
  } catch (err) {
    throw new AppError('DB_ERROR', `Cannot open the local database ${file}: ${(err as Error).message}`);
  }
  try {
    const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
    const current = readSchemaVersion(db);
    if (current > latest) migrate(db, migrations, logger);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations, logger);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof AppError) throw err;
    throw new AppError('DB_ERROR', `Cannot use the local database ${file}: ${(err as Error).message}`);
  }
}
