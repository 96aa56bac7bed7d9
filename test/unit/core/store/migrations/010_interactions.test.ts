import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../../../../../electron/core/store/database';
import { m001Settings } from '../../../../../electron/core/store/migrations/001_settings';
import { m002Customers } from '../../../../../electron/core/store/migrations/002_customers';
import { m003CustomerSearch } from '../../../../../electron/core/store/migrations/003_customer_search';
import { m010Interactions } from '../../../../../electron/core/store/migrations/010_interactions';

const BEFORE = [m001Settings, m002Customers, m003CustomerSearch];

function db010() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, [...BEFORE, m010Interactions]);
  return db;
}

function insert(db: Database.Database, id: string, extra: { revisionOf?: string; callId?: string; kind?: string } = {}) {
  db.prepare(
    `INSERT INTO interactions (id, kind, root_id, revision_of, revision_kind, agent_id, call_id, occurred_at, created_at)
     VALUES (?, 'call', ?, ?, ?, 'a1', ?, 1, 1)`,
  ).run(id, extra.revisionOf ? 'root' : id, extra.revisionOf ?? null, extra.kind ?? (extra.revisionOf ? 'correction' : 'original'), extra.callId ?? null);
}

describe('migration 010_interactions', () => {
  it('brings a version 3 database to version 10 with the interactions table', () => {
    const db = new Database(':memory:');
    migrate(db, BEFORE);
    expect(readSchemaVersion(db)).toBe(3);
    migrate(db, [...BEFORE, m010Interactions]);
    expect(readSchemaVersion(db)).toBe(10);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'interactions'").get()).toEqual({ name: 'interactions' });
  });

  it('is insert-only: UPDATE and DELETE are refused', () => {
    const db = db010();
    insert(db, 'root');
    expect(() => db.prepare("UPDATE interactions SET notes = 'x' WHERE id = 'root'").run()).toThrow(/insert-only/);
    expect(() => db.prepare("DELETE FROM interactions WHERE id = 'root'").run()).toThrow(/insert-only/);
  });

  it('refuses a forked revision chain and a second original for the same call', () => {
    const db = db010();
    insert(db, 'root', { callId: 'c1' });
    insert(db, 'r1', { revisionOf: 'root' });
    expect(() => insert(db, 'r2', { revisionOf: 'root' })).toThrow(/UNIQUE/);
    expect(() => insert(db, 'again', { callId: 'c1' })).toThrow(/UNIQUE/);
    expect(() => insert(db, 'orphan', { revisionOf: 'missing' })).toThrow(/FOREIGN KEY/);
  });

  it('reads a customer timeline through its index', () => {
    const db = db010();
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM interactions WHERE customer_id = 1 ORDER BY occurred_at DESC, id DESC LIMIT 5').all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX interactions_customer/);
  });
});
