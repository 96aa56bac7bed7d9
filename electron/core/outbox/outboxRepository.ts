import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/api/result';
import type { CoreBus } from '../bus/coreBus';
import { OutboxAppended } from './outboxEvents';
import { OUTBOX_ENTITIES, OUTBOX_OPERATIONS, type OutboxAppend, type OutboxEntity, type OutboxEntry } from '../../../shared/sync/outbox';

/** Key of this installation's sync client id in the `meta` table. */
export const CLIENT_ID_META_KEY = 'sync.clientId';

const rowSchema = z.object({
  client_id: z.string(),
  seq: z.number().int(),
  entity: z.enum(OUTBOX_ENTITIES),
  entity_id: z.string(),
  operation: z.enum(OUTBOX_OPERATIONS),
  base_version: z.number().int().nullable(),
  payload_json: z.string(),
  created_at: z.number(),
  sent_at: z.number().nullable(),
});

function toEntry(row: unknown): OutboxEntry {
  const r = rowSchema.parse(row);
  // The payload is what `append` (typed per entity) wrote under this entity.
  return {
    clientId: r.client_id,
    seq: r.seq,
    entity: r.entity,
    entityId: r.entity_id,
    operation: r.operation,
    baseVersion: r.base_version,
    payload: JSON.parse(r.payload_json) as unknown,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  } as OutboxEntry;
}

/** One change to record (typed per entity: `shared/sync/outbox.ts`). */
export type { OutboxAppend } from '../../../shared/sync/outbox';

/**
 * The outbox table. {@link append} must run inside the transaction that writes the change itself,
 * so a change and its outbox row are committed (or lost) together; it refuses to run outside one.
 */
export class OutboxRepository {
  private cachedClientId: string | null = null;
  private beforeAppend: ((change: OutboxAppend) => void) | null = null;
  private inHook = false;
  /** Statements prepared once per SQL text (bulk paths append thousands of entries in one transaction). */
  private readonly stmts = new Map<string, Database.Statement>();
  /** Rows appended in the current burst, announced once it finished (see {@link OutboxAppended}). */
  private pendingAppends = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
    /** The core bus {@link OutboxAppended} goes to (sync pushes on it). */
    private readonly bus?: CoreBus,
  ) {}

  /** This installation's client id (created on first use and kept in `meta`). */
  clientId(): string {
    if (this.cachedClientId) return this.cachedClientId;
    const row = this.stmt('SELECT value FROM meta WHERE key = ?').get(CLIENT_ID_META_KEY) as { value: string } | undefined;
    if (row) return (this.cachedClientId = row.value);
    const id = randomUUID();
    this.stmt('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(CLIENT_ID_META_KEY, id);
    const stored = (this.stmt('SELECT value FROM meta WHERE key = ?').get(CLIENT_ID_META_KEY) as { value: string }).value;
    return (this.cachedClientId = stored);
  }

  /**
   * Sets what runs before each {@link append}, in its transaction, and may append entries that
   * must go first (the sync module queues a never-pushed customer ahead of a record pointing to
   * it). Entries the hook appends do not run it again.
   */
  setBeforeAppend(hook: ((change: OutboxAppend) => void) | null): void {
    this.beforeAppend = hook;
  }

  /** Appends one entry with the next per-client sequence number. Throws INTERNAL outside a transaction. */
  append(change: OutboxAppend): OutboxEntry {
    if (!this.db.inTransaction) throw new AppError('INTERNAL', 'An outbox entry must be written in the transaction of its change');
    if (this.beforeAppend && !this.inHook) {
      this.inHook = true;
      try {
        this.beforeAppend(change);
      } finally {
        this.inHook = false;
      }
    }
    const clientId = this.clientId();
    const { next } = this.stmt('SELECT coalesce(max(seq), 0) + 1 AS next FROM outbox WHERE client_id = ?').get(clientId) as { next: number };
    const createdAt = this.now();
    this.stmt(
      `INSERT INTO outbox (client_id, seq, entity, entity_id, operation, base_version, payload_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(clientId, next, change.entity, change.entityId, change.operation, change.baseVersion, JSON.stringify(change.payload), createdAt);
    this.announceAfterCommit();
    return { ...change, clientId, seq: next, createdAt, sentAt: null };
  }

  /**
   * better-sqlite3 transactions are synchronous: a microtask queued inside one runs after it
   * committed (or rolled back), so one event covers the whole burst.
   */
  private announceAfterCommit(): void {
    if (!this.bus || this.pendingAppends++ > 0) return;
    queueMicrotask(() => {
      const count = this.pendingAppends;
      this.pendingAppends = 0;
      this.bus?.emit(OutboxAppended, { count });
    });
  }

  /** Entries not yet acknowledged by the server, oldest first. */
  unsent(limit = 500): OutboxEntry[] {
    return this.stmt('SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?').all(limit).map(toEntry);
  }

  /** Every entry about one record, oldest first. */
  forEntity(entity: OutboxEntity, entityId: string): OutboxEntry[] {
    return this.stmt('SELECT * FROM outbox WHERE entity = ? AND entity_id = ? ORDER BY id').all(entity, entityId).map(toEntry);
  }

  /** Marks entries up to `seq` (this client) as acknowledged by the server. */
  markSentThrough(seq: number, at: number = this.now()): number {
    return this.stmt('UPDATE outbox SET sent_at = ? WHERE client_id = ? AND seq <= ? AND sent_at IS NULL').run(at, this.clientId(), seq).changes;
  }

  /**
   * Marks every entry unsent again (this desktop moved to another server, which must get them all)
   * and numbers them all, from 1, under a new client id: entries written under earlier client ids
   * (before a {@link rekey}) are sent too.
   */
  markAllUnsent(): number {
    return this.db.transaction(() => {
      const n = this.stmt('UPDATE outbox SET sent_at = NULL WHERE sent_at IS NOT NULL').run().changes;
      this.rekey();
      return n;
    })();
  }

  /**
   * Takes a new client id and renumbers every unsent entry under it, from 1, in their order: the
   * server refused the old id (`CLIENT_ID_TAKEN`: another user's, or a copied profile's). Entries up
   * to `sameThrough` (old id) are the same changes the server already has: they are marked sent, not
   * sent twice. One transaction; entries already acknowledged keep their old id and number.
   */
  rekey(sameThrough?: number): { from: string; to: string; resent: number } {
    return this.db.transaction(() => {
      const from = this.clientId();
      if (sameThrough !== undefined && sameThrough > 0) this.markSentThrough(sameThrough);
      const to = randomUUID();
      const ids = (this.stmt('SELECT id FROM outbox WHERE sent_at IS NULL ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
      const renumber = this.stmt('UPDATE outbox SET client_id = ?, seq = ? WHERE id = ?');
      ids.forEach((id, i) => renumber.run(to, i + 1, id));
      this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(CLIENT_ID_META_KEY, to);
      // Re-read from meta: an enclosing transaction may still roll this back.
      this.cachedClientId = null;
      return { from, to, resent: ids.length };
    })();
  }

  /** True while a change to this record waits to be pushed (a pulled copy must not overwrite it). */
  hasUnsent(entity: OutboxEntity, entityId: string): boolean {
    return this.stmt('SELECT 1 FROM outbox WHERE entity = ? AND entity_id = ? AND sent_at IS NULL LIMIT 1').get(entity, entityId) !== undefined;
  }

  /** Number of entries (all, or only unsent). */
  count(unsentOnly = false): number {
    const sql = unsentOnly ? 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL' : 'SELECT count(*) AS n FROM outbox';
    return (this.stmt(sql).get() as { n: number }).n;
  }

  /**
   * Puts `changes` ahead of every entry of this client, renumbering them (sequence and order). Only
   * while the server has acknowledged none of them (a first sync): a sequence number the server
   * has seen must keep its meaning. Throws CONFLICT otherwise, INTERNAL outside a transaction.
   */
  prepend(changes: readonly OutboxAppend[]): void {
    if (!this.db.inTransaction) throw new AppError('INTERNAL', 'An outbox entry must be written in the transaction of its change');
    if (changes.length === 0) return;
    const clientId = this.clientId();
    if (this.stmt('SELECT 1 FROM outbox WHERE client_id = ? AND sent_at IS NOT NULL LIMIT 1').get(clientId)) {
      throw new AppError('CONFLICT', 'Entries can go first only while the server has acknowledged none of this client');
    }
    const waiting = this.stmt('SELECT * FROM outbox WHERE client_id = ? ORDER BY seq').all(clientId).map(toEntry);
    this.stmt('DELETE FROM outbox WHERE client_id = ?').run(clientId);
    for (const c of changes) this.append(c);
    const insert = this.stmt(
      `INSERT INTO outbox (client_id, seq, entity, entity_id, operation, base_version, payload_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const e of waiting) insert.run(clientId, e.seq + changes.length, e.entity, e.entityId, e.operation, e.baseVersion, JSON.stringify(e.payload), e.createdAt);
  }

  private stmt(sql: string): Database.Statement {
    let st = this.stmts.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.stmts.set(sql, st);
    }
    return st;
  }
}
