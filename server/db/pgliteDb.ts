import { PGlite } from '@electric-sql/pglite';
import type { Logger } from '../log';
import { isRetryable, type Db, type Queryable, type QueryResult } from './db';

/** Options of the embedded adapter. */
export interface PgliteDbOptions {
  /** Data directory; omitted = in memory (lost on exit). */
  dataDir?: string;
  logger: Logger;
}

/**
 * {@link Db} over PGlite: PostgreSQL compiled to WebAssembly, in this process. One connection,
 * so transactions run one at a time; LISTEN/NOTIFY work inside the process (one server instance).
 */
export async function createPgliteDb(options: PgliteDbOptions): Promise<Db> {
  const db = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  const log = options.logger;
  const toResult = <R>(res: { rows: unknown[]; affectedRows?: number }): QueryResult<R> => ({
    rows: res.rows as R[],
    rowCount: res.affectedRows ?? res.rows.length,
  });
  return {
    kind: 'pglite',
    async query(sql, params) {
      return toResult(await db.query(sql, params as unknown[] | undefined));
    },
    async exec(sql) {
      await db.exec(sql);
    },
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction(async (t) => {
            const tx: Queryable = {
              query: async (sql, params) => toResult(await t.query(sql, params as unknown[] | undefined)),
              exec: async (sql) => {
                await t.exec(sql);
              },
            };
            return fn(tx);
          });
        } catch (err) {
          if (isRetryable(err) && attempt < 5) continue;
          throw err;
        }
      }
    },
    async listen(channel, handler) {
      const unsub = await db.listen(channel, (payload) => {
        try {
          handler(payload);
        } catch (err) {
          log.warn('notification handler failed', { channel, error: (err as Error).message });
        }
      });
      return unsub;
    },
    async close() {
      await db.close();
    },
  };
}
