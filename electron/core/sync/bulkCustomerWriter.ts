import type Database from 'better-sqlite3';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  BULK_ADDRESS_INSERT_SQL,
  BULK_CUSTOMER_INSERT_SQL,
  BULK_EMAIL_INSERT_SQL,
  BULK_PHONE_INSERT_SQL,
  BULK_SEARCH_INSERT_SQL,
  type CustomerRows,
} from '../customer/customerWriteRows';
import type { Logger } from '../log/logger';

/** What one bulk write did: the rows not written (their code or server id is taken locally, or a write failed), by index. */
export interface BulkWriteResult {
  skipped: Array<{ index: number; error: string | null }>;
}

/**
 * Writes new customers' rows: rows are staged in small lists as they are prepared (copying a
 * whole page to a thread at once would hold this thread for a long moment), then a batch is
 * written in one transaction. Calls run in order.
 */
export interface BulkCustomerWriter {
  /** Adds rows to batch `batch` (not written yet). */
  stage(batch: number, rows: CustomerRows[]): void;
  /** Drops a batch staged but not written (sync stopped while preparing it). */
  discard(batch: number): void;
  /** Writes batch `batch` in one transaction; `skipped` indexes count across its staged rows in order. */
  write(batch: number): Promise<BulkWriteResult>;
  close(): Promise<void>;
}

/**
 * The write itself, as plain JavaScript: the same text runs in a worker thread (which cannot
 * import our TypeScript) and, where no worker can open the database (in-memory databases), in
 * this thread. One transaction for the whole list: FTS5 writes its index segment once per
 * transaction, which is most of what a bulk load costs. A row that fails is removed again alone
 * (no savepoint per row: savepoints make FTS5 flush) and reported; the others are written.
 */
const WRITE_ROWS_JS = `
function makeWriter(db, sql) {
  const customer = db.prepare(sql.customer);
  const phone = db.prepare(sql.phone);
  const email = db.prepare(sql.email);
  const address = db.prepare(sql.address);
  const search = db.prepare(sql.search);
  const undo = [
    db.prepare('DELETE FROM customer_phones WHERE customer_id = ?'),
    db.prepare('DELETE FROM customer_emails WHERE customer_id = ?'),
    db.prepare('DELETE FROM customer_addresses WHERE customer_id = ?'),
    db.prepare('DELETE FROM customers WHERE id = ?'),
  ];
  return db.transaction((rows) => {
    const skipped = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      let id = null;
      try {
        const info = customer.run(r.customer);
        if (info.changes === 0) { skipped.push({ index: i, error: null }); continue; }
        id = Number(info.lastInsertRowid);
        for (const p of r.phones) phone.run(id, ...p);
        for (const e of r.emails) email.run(id, ...e);
        for (const a of r.addresses) address.run(id, ...a);
        search.run(id, ...r.search);
      } catch (err) {
        if (id !== null) for (const u of undo) u.run(id);
        skipped.push({ index: i, error: String(err && err.message || err) });
      }
    }
    return { skipped };
  });
}`;

const SQL = {
  customer: BULK_CUSTOMER_INSERT_SQL,
  phone: BULK_PHONE_INSERT_SQL,
  email: BULK_EMAIL_INSERT_SQL,
  address: BULK_ADDRESS_INSERT_SQL,
  search: BULK_SEARCH_INSERT_SQL,
};

const WORKER_JS = `
const { parentPort, workerData } = require('node:worker_threads');
${WRITE_ROWS_JS}
let Database = null;
for (const from of workerData.from) {
  try { Database = require('node:module').createRequire(from)('better-sqlite3'); break; } catch {}
}
if (!Database) Database = require('better-sqlite3');
const db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 30000');
const write = makeWriter(db, workerData.sql);
const staged = new Map();
parentPort.on('message', (msg) => {
  if (msg.stage !== undefined) {
    const list = staged.get(msg.stage);
    if (list) for (const r of msg.rows) list.push(r);
    else staged.set(msg.stage, msg.rows);
    return;
  }
  if (msg.discard !== undefined) { staged.delete(msg.discard); return; }
  if (msg.close) { db.close(); parentPort.postMessage({ id: msg.id, closed: true }); return; }
  const rows = staged.get(msg.write) || [];
  staged.delete(msg.write);
  try { parentPort.postMessage({ id: msg.id, result: write(rows) }); }
  catch (err) { parentPort.postMessage({ id: msg.id, error: String(err && err.message || err) }); }
});
parentPort.postMessage({ ready: true });
`;

/**
 * Files to resolve `better-sqlite3` from in the worker (an eval'd worker resolves from nowhere in
 * particular): the entry script of this process (the Electron or browser-host bundle, beside
 * their node_modules), then the working directory (tests, `npm start`).
 */
function moduleBases(): string[] {
  const bases: string[] = [];
  const main = typeof require === 'undefined' ? undefined : require.main?.filename;
  if (main) bases.push(main);
  if (process.argv[1]) bases.push(path.resolve(process.argv[1]));
  bases.push(path.join(process.cwd(), 'noop.js'));
  return bases;
}

type WriteFn = (rows: CustomerRows[]) => BulkWriteResult;

/** The write in this thread (in-memory databases, or when no worker could start). */
export function inThreadWriter(db: Database.Database): BulkCustomerWriter {
  const makeWriter = new Function(`${WRITE_ROWS_JS}; return makeWriter;`)() as (db: Database.Database, sql: typeof SQL) => WriteFn;
  const write = makeWriter(db, SQL);
  const staged = new Map<number, CustomerRows[]>();
  return {
    stage: (batch, rows) => {
      const list = staged.get(batch);
      if (list) list.push(...rows);
      else staged.set(batch, [...rows]);
    },
    discard: (batch) => void staged.delete(batch),
    write: (batch) => {
      const rows = staged.get(batch) ?? [];
      staged.delete(batch);
      try {
        return Promise.resolve(write(rows));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },
    close: () => Promise.resolve(),
  };
}

/**
 * The write in a worker thread with its own connection to the same database file (WAL: this
 * thread keeps reading, searches answer while a page is written). Falls back to
 * {@link inThreadWriter} when the database is in memory or the worker cannot start.
 */
export async function openBulkCustomerWriter(db: Database.Database, logger: Logger, nativeBinding?: string): Promise<BulkCustomerWriter> {
  if (db.memory || !db.name || db.name === ':memory:') return inThreadWriter(db);
  let worker: Worker;
  try {
    worker = new Worker(WORKER_JS, {
      eval: true,
      workerData: { file: db.name, nativeBinding: nativeBinding ?? null, sql: SQL, from: moduleBases() },
    });
    await new Promise<void>((resolve, reject) => {
      const settle = (err: Error | null) => {
        // Only our own listeners: removeAllListeners() would also drop the worker's internal ones.
        worker.off('message', onReady);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (err) reject(err);
        else resolve();
      };
      const onReady = () => settle(null);
      const onError = (err: Error) => settle(err);
      const onExit = (code: number) => settle(new Error(`bulk writer exited with code ${code}`));
      worker.on('message', onReady);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  } catch (err) {
    logger.warn('bulk writer thread not started: writing in this thread', { error: (err as Error).message });
    return inThreadWriter(db);
  }
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (msg: { id: number; result?: BulkWriteResult; error?: string; closed?: boolean }) => {
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.error !== undefined) w.reject(new Error(msg.error));
    else w.resolve(msg.result);
  });
  worker.on('error', (err) => failAll(err));
  worker.on('exit', (code) => failAll(new Error(`bulk writer exited with code ${code}`)));
  const call = (msg: object) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id });
    });
  return {
    stage: (batch, rows) => worker.postMessage({ stage: batch, rows }),
    discard: (batch) => worker.postMessage({ discard: batch }),
    write: async (batch) => (await call({ write: batch })) as BulkWriteResult,
    close: async () => {
      await call({ close: true }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
