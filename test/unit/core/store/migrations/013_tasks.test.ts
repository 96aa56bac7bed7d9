import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../../../../../electron/core/store/database';
import { m001Settings } from '../../../../../electron/core/store/migrations/001_settings';
import { m012Tickets } from '../../../../../electron/core/store/migrations/012_tickets';
import { m013Tasks } from '../../../../../electron/core/store/migrations/013_tasks';

describe('migration 013_tasks', () => {
  it('brings a version 12 database to version 13; pending reminders are found through a partial index', () => {
    const db = new Database(':memory:');
    migrate(db, [m001Settings, m012Tickets]);
    migrate(db, [m001Settings, m012Tickets, m013Tasks]);
    expect(readSchemaVersion(db)).toBe(13);
    db.prepare(
      "INSERT INTO tasks (id, kind, title, due_at, remind_at, assignee, status, created_by, created_at, version) VALUES ('k1', 'callback', 't', 5, 5, 'a1', 'open', 'a1', 1, 1)",
    ).run();
    const sql = "SELECT * FROM tasks WHERE status = 'open' AND reminded_at IS NULL AND remind_at IS NOT NULL AND remind_at <= 10";
    expect(db.prepare(sql).all()).toHaveLength(1);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/INDEX tasks_reminder/);
  });
});
