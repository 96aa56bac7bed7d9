import type { Migration } from '../migration';

/**
 * The insert-only contact log. A wrap-up or a correction is a new row pointing at the row it
 * revises (`revision_of`, unique: a revision chain never forks); lists read only heads (rows nobody
 * revises). `occurred_at` orders the timeline. An original call row is unique per app call id, so
 * logging the same call twice is refused by the database.
 */
export const m010Interactions: Migration = {
  version: 10,
  name: 'interactions',
  up(db) {
    db.exec(`
      CREATE TABLE interactions (
        id TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL,
        root_id TEXT NOT NULL,
        revision_of TEXT REFERENCES interactions (id),
        revision_kind TEXT NOT NULL,
        correction_reason TEXT,
        customer_id INTEGER,
        agent_id TEXT NOT NULL,
        direction TEXT,
        local_number TEXT,
        remote_number TEXT,
        remote_name TEXT,
        queue TEXT,
        headers_json TEXT NOT NULL DEFAULT '{}',
        call_id TEXT,
        sip_call_id TEXT,
        occurred_at INTEGER NOT NULL,
        answered_at INTEGER,
        ended_at INTEGER,
        holds_json TEXT NOT NULL DEFAULT '[]',
        ring_ms INTEGER,
        talk_ms INTEGER,
        hold_ms INTEGER,
        wrapup_ms INTEGER,
        end_reason TEXT,
        end_sip_code INTEGER,
        disposition TEXT,
        wrapup_completion TEXT,
        subject TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        quality_json TEXT,
        ticket_ids_json TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX interactions_revision_of ON interactions (revision_of) WHERE revision_of IS NOT NULL;
      CREATE UNIQUE INDEX interactions_call ON interactions (call_id) WHERE call_id IS NOT NULL AND revision_kind = 'original';
      CREATE INDEX interactions_customer ON interactions (customer_id, occurred_at DESC, id DESC);
      CREATE INDEX interactions_root ON interactions (root_id, created_at);
      CREATE TRIGGER interactions_no_update BEFORE UPDATE ON interactions
        BEGIN SELECT RAISE(ABORT, 'interactions are insert-only: write a correction'); END;
      CREATE TRIGGER interactions_no_delete BEFORE DELETE ON interactions
        BEGIN SELECT RAISE(ABORT, 'interactions are insert-only'); END;
    `);
  },
};
