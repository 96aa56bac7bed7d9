import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../../../../../electron/core/store/database';
import { m001Settings } from '../../../../../electron/core/store/migrations/001_settings';
import { m002Customers } from '../../../../../electron/core/store/migrations/002_customers';
import { m015CustomerServerIds } from '../../../../../electron/core/store/migrations/015_customer_server_ids';

describe('migration 015_customer_server_ids', () => {
  it('adds a server id to customers; two customers cannot share one, many may have none', () => {
    const db = new Database(':memory:');
    migrate(db, [m001Settings, m002Customers]);
    const ins = db.prepare(
      "INSERT INTO customers (code, name, type, status, level, source, lifecycle_stage, created_at, updated_at) VALUES (?, 'n', 'person', 'active', 'normal', 'other', 'lead', 1, 1)",
    );
    ins.run('A');
    migrate(db, [m001Settings, m002Customers, m015CustomerServerIds]);
    expect(readSchemaVersion(db)).toBe(15);
    ins.run('B');
    ins.run('C');
    db.prepare("UPDATE customers SET server_id = 7 WHERE code = 'A'").run();
    expect(() => db.prepare("UPDATE customers SET server_id = 7 WHERE code = 'B'").run()).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT count(*) AS n FROM customers WHERE server_id IS NULL').get()).toEqual({ n: 2 });
  });
});
