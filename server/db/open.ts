import type { ServerConfig } from '../config';
import type { Logger } from '../log';
import { acquireDataDirLock, type DataDirLock, type LockInfo } from './dataDirLock';
import type { Db } from './db';
import { migrate, type MigrationReport } from './migrate';
import { SERVER_MIGRATIONS } from './migrations';
import { createPgDb } from './pgDb';
import { createPgliteDb } from './pgliteDb';

/**
 * Opens the configured database (PostgreSQL with a URL, else PGlite) and migrates it. A PGlite data
 * directory is locked for this process first (one process per directory: a second one would lose
 * writes); the lock goes with `db.close()`. `holder` says who holds it (the lock file tells others).
 */
export async function openServerDb(
  config: Pick<ServerConfig, 'databaseUrl' | 'dataDir' | 'poolSize'>,
  logger: Logger,
  holder: LockInfo['holder'] = 'server',
): Promise<{ db: Db; migration: MigrationReport; lock: DataDirLock | null }> {
  let lock: DataDirLock | null = null;
  let db: Db;
  if (config.databaseUrl) {
    db = createPgDb({ connectionString: config.databaseUrl, max: config.poolSize, logger: logger.child('pg') });
  } else {
    lock = config.dataDir ? acquireDataDirLock(config.dataDir, holder) : null;
    try {
      const embedded = await createPgliteDb({ ...(config.dataDir ? { dataDir: config.dataDir } : {}), logger: logger.child('pglite') });
      const held = lock;
      db = held
        ? {
            ...embedded,
            async close() {
              try {
                await embedded.close();
              } finally {
                held.release();
              }
            },
          }
        : embedded;
    } catch (err) {
      lock?.release();
      throw err;
    }
  }
  try {
    const migration = await migrate(db, SERVER_MIGRATIONS);
    return { db, migration, lock };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
