import type { Migration } from '../migration';

/**
 * Tickets, the interactions linked to them and the history of every change. Enumerated values are
 * validated by the repository (zod), not by CHECK constraints, so adding a value needs no rebuild.
 */
export const m012Tickets: Migration = {
  version: 12,
  name: 'tickets',
  up(db) {
    db.exec(`
      CREATE TABLE tickets (
        id TEXT PRIMARY KEY NOT NULL,
        type TEXT NOT NULL,
        priority TEXT NOT NULL,
        status TEXT NOT NULL,
        category TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        customer_id INTEGER,
        assignee TEXT,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        resolution TEXT,
        satisfaction INTEGER,
        resolved_at INTEGER,
        closed_at INTEGER,
        version INTEGER NOT NULL,
        server_version INTEGER
      ) STRICT;
      CREATE INDEX tickets_assignee_status ON tickets (assignee, status, due_at);
      CREATE INDEX tickets_status_due ON tickets (status, due_at);
      CREATE INDEX tickets_customer ON tickets (customer_id, created_at DESC);

      CREATE TABLE ticket_interactions (
        ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        interaction_id TEXT NOT NULL,
        linked_at INTEGER NOT NULL,
        PRIMARY KEY (ticket_id, interaction_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX ticket_interactions_interaction ON ticket_interactions (interaction_id);

      CREATE TABLE ticket_history (
        id INTEGER PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        by TEXT NOT NULL,
        action TEXT NOT NULL,
        changes_json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX ticket_history_ticket ON ticket_history (ticket_id, id);
    `);
  },
};
