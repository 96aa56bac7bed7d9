import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../../../../../electron/core/store/database';
import { m001Settings } from '../../../../../electron/core/store/migrations/001_settings';
import { m002Customers } from '../../../../../electron/core/store/migrations/002_customers';

function db002() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, [m001Settings, m002Customers]);
  return db;
}

function insertCustomer(db: Database.Database, code: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO customers (code, name, type, status, level, source, lifecycle_stage, created_at, updated_at)
         VALUES (?, 'Zhang Wei', 'person', 'potential', 'standard', 'other', 'acquisition', 1, 1)`,
      )
      .run(code).lastInsertRowid,
  );
}

describe('migration 002_customers', () => {
  it('brings a version 1 database to version 2 with the customer tables', () => {
    const db = new Database(':memory:');
    migrate(db, [m001Settings]);
    expect(readSchemaVersion(db)).toBe(1);
    migrate(db, [m001Settings, m002Customers]);
    expect(readSchemaVersion(db)).toBe(2);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['customers', 'customer_phones', 'customer_emails', 'customer_addresses', 'customer_owner_changes']),
    );
  });

  it('looks phones up by E.164 through an index', () => {
    const db = db002();
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT customer_id FROM customer_phones WHERE e164 = '+8613800138000'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX customer_phones_e164/);
  });

  it('refuses a second customer with the same code, whatever its case', () => {
    const db = db002();
    insertCustomer(db, 'C001');
    expect(() => insertCustomer(db, 'c001')).toThrow(/UNIQUE/);
  });

  it('deletes phones, emails, addresses and owner history with their customer', () => {
    const db = db002();
    const id = insertCustomer(db, 'C001');
    db.prepare("INSERT INTO customer_phones (customer_id, position, raw, e164, label) VALUES (?, 0, '138', '+86138', 'mobile')").run(id);
    db.prepare("INSERT INTO customer_emails (customer_id, position, address, label) VALUES (?, 0, 'a@b.c', 'work')").run(id);
    db.prepare("INSERT INTO customer_addresses (customer_id, position, label) VALUES (?, 0, 'work')").run(id);
    db.prepare('INSERT INTO customer_owner_changes (customer_id, to_owner_id, changed_at) VALUES (?, ?, 1)').run(id, 'agent-1');
    db.prepare('DELETE FROM customers WHERE id = ?').run(id);
    for (const table of ['customer_phones', 'customer_emails', 'customer_addresses', 'customer_owner_changes']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
  });

  it('rejects a phone of a customer that does not exist', () => {
    const db = db002();
    expect(() => db.prepare("INSERT INTO customer_phones (customer_id, position, raw, label) VALUES (999, 0, '1', 'mobile')").run()).toThrow(/FOREIGN KEY/);
  });
});
