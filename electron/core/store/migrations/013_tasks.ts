import type { Migration } from '../migration';

/** Follow-ups and callbacks. `reminded_at` is local to this computer (not synced). */
export const m013Tasks: Migration = {
  version: 13,
  name: 'tasks',
  up(db) {
    db.exec(`
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        notes TEXT NOT NULL DEFAULT '',
        customer_id INTEGER,
        phone TEXT,
        ticket_id TEXT,
        interaction_id TEXT,
        due_at INTEGER NOT NULL,
        remind_at INTEGER,
        reminded_at INTEGER,
        assignee TEXT NOT NULL,
        status TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        completed_at INTEGER,
        version INTEGER NOT NULL,
        server_version INTEGER
      ) STRICT;
      CREATE INDEX tasks_assignee_status_due ON tasks (assignee, status, due_at);
      CREATE INDEX tasks_customer ON tasks (customer_id, due_at);
      CREATE INDEX tasks_reminder ON tasks (remind_at) WHERE status = 'open' AND reminded_at IS NULL AND remind_at IS NOT NULL;
    `);
  },
};
