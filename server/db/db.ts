/**
 * The database seam of the server: one small interface implemented by a `pg` Pool (real
 * PostgreSQL) and by PGlite (embedded PostgreSQL for a demo without a database). Services take a
 * `Db`; only the adapters know which one runs. Every query is parameterised: values travel as
 * parameters, never inside SQL text.
 */

/** A query result. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Something that runs parameterised SQL: the database or an open transaction. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations only). */
  exec(sql: string): Promise<void>;
}

/** A notification delivered by LISTEN. */
export type NotificationHandler = (payload: string) => void;

/** The database handle services use. */
export interface Db extends Queryable {
  /** `postgres` (pg Pool) or `pglite` (embedded). */
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `fn` in one transaction (READ COMMITTED). Commits when it resolves, rolls back when it
   * throws. A deadlock or serialization failure is retried from the start (up to 5 times), so `fn`
   * must not have side effects outside the transaction.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** LISTENs on `channel`; returns an unsubscribe. Notifications arrive after the sender commits. */
  listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>>;
  /** Closes every connection. */
  close(): Promise<void>;
}

/** SQLSTATEs after which a transaction is safe to retry from the start. */
export const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

/** True when a driver error is a deadlock or serialization failure. */
export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}

/** Quotes an identifier (channel names for LISTEN, which cannot be parameters). */
export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid identifier "${name}"`);
  return `"${name}"`;
}
