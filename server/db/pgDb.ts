import pg from 'pg';
import type { Logger } from '../log';
import { isRetryable, quoteIdent, type Db, type NotificationHandler, type Queryable, type QueryResult } from './db';

// int8 (bigint: change ids, counts) as JS numbers: ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/** Options of the PostgreSQL adapter. */
export interface PgDbOptions {
  connectionString: string;
  /** Pool size (default 10). */
  max?: number;
  logger: Logger;
}

const MAX_ATTEMPTS = 5;

/**
 * {@link Db} over a `pg` Pool. LISTEN uses one dedicated connection, re-established (and every
 * channel re-listened) when it drops, so fan-out survives a database restart.
 */
export function createPgDb(options: PgDbOptions): Db {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
  const log = options.logger;
  pool.on('error', (err) => log.warn('idle database connection failed', { error: err.message }));
  const listeners = new Map<string, Set<NotificationHandler>>();
  let listenClient: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let closed = false;

  const query = async <R>(runner: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    const res = await runner.query(sql, params as unknown[] | undefined);
    return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
  };

  const ensureListener = async (): Promise<pg.Client> => {
    if (listenClient) return listenClient;
    if (connecting) return connecting;
    connecting = (async () => {
      const client = new pg.Client({ connectionString: options.connectionString });
      client.on('notification', (msg) => {
        for (const h of listeners.get(msg.channel) ?? []) {
          try {
            h(msg.payload ?? '');
          } catch (err) {
            log.warn('notification handler failed', { channel: msg.channel, error: (err as Error).message });
          }
        }
      });
      client.on('error', (err) => {
        log.warn('listen connection lost', { error: err.message });
        if (listenClient === client) listenClient = null;
        void client.end().catch(() => undefined);
        if (!closed) setTimeout(() => void ensureListener().catch(() => undefined), 500);
      });
      await client.connect();
      for (const channel of listeners.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
      listenClient = client;
      return client;
    })();
    try {
      return await connecting;
    } finally {
      connecting = null;
    }
  };

  return {
    kind: 'postgres',
    query: (sql, params) => query(pool, sql, params),
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let released = false;
        try {
          await client.query('BEGIN');
          const tx: Queryable = {
            query: (sql, params) => query(client, sql, params),
            exec: async (sql) => {
              await client.query(sql);
            },
          };
          const result = await fn(tx);
          await client.query('COMMIT');
          return result;
        } catch (err) {
          try {
            await client.query('ROLLBACK');
          } catch {
            // The connection is broken: drop it instead of returning it to the pool.
            client.release(true);
            released = true;
          }
          if (isRetryable(err) && attempt < MAX_ATTEMPTS) {
            log.debug('transaction retried', { attempt, code: (err as { code?: string }).code });
            continue;
          }
          throw err;
        } finally {
          if (!released) client.release();
        }
      }
    },
    async listen(channel, handler) {
      let set = listeners.get(channel);
      const first = !set;
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(handler);
      const client = await ensureListener();
      if (first) await client.query(`LISTEN ${quoteIdent(channel)}`);
      return async () => {
        set.delete(handler);
        if (set.size === 0) {
          listeners.delete(channel);
          if (listenClient) await listenClient.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => undefined);
        }
      };
    },
    async close() {
      closed = true;
      const c = listenClient;
      listenClient = null;
      if (c) await c.end().catch(() => undefined);
      await pool.end();
    },
  };
}
