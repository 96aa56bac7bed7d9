import type { ServerConfig } from '../config';
import type { Logger } from '../log';
import type { Db } from './db';
import { migrate, type MigrationReport } from './migrate';
import { SERVER_MIGRATIONS } from './migrations';
import { createPgDb } from './pgDb';
import { createPgliteDb } from './pgliteDb';

/** Opens the configured database (PostgreSQL with a URL, else PGlite) and migrates it. */
export async function openServerDb(config: Pick<ServerConfig, 'databaseUrl' | 'dataDir' | 'poolSize'>, logger: Logger): Promise<{ db: Db; migration: MigrationReport }> {
  const db = config.databaseUrl
    ? createPgDb({ connectionString: config.databaseUrl, max: config.poolSize, logger: logger.child('pg') })
    : await createPgliteDb({ ...(config.dataDir ? { dataDir: config.dataDir } : {}), logger: logger.child('pglite') });
  try {
    const migration = await migrate(db, SERVER_MIGRATIONS);
    return { db, migration };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
