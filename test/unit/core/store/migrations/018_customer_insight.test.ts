import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../../../../../electron/core/store/database';
import { MIGRATIONS } from '../../../../../electron/core/store/migrations';
import { m018CustomerInsight } from '../../../../../electron/core/store/migrations/018_customer_insight';

describe('migration 018_customer_insight', () => {
  it('adds customer_insight keyed by the server customer id, on a database with customers', () => {
    const db = new Database(':memory:');
    const before = MIGRATIONS.filter((m) => m.version < 18);
    migrate(db, before);
    migrate(db, [...before, m018CustomerInsight]);
    expect(readSchemaVersion(db)).toBe(18);
    db.prepare(`INSERT INTO customer_insight (server_customer_id, record, change_id) VALUES (5, '{}', 1)`).run();
    expect(() => db.prepare(`INSERT INTO customer_insight (server_customer_id, record, change_id) VALUES (5, '{}', 2)`).run()).toThrow(/UNIQUE|PRIMARY/);
    expect(db.prepare('SELECT server_customer_id, change_id FROM customer_insight').all()).toEqual([{ server_customer_id: 5, change_id: 1 }]);
  });
});
