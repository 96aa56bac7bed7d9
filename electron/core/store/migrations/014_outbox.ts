import type { Migration } from '../migration';

/**
 * The outbox: one row per local create or change, written in the same transaction as the change.
 * `seq` is the per-client sequence number (unique per client id); `sent_at` is set by the sync
 * client once the server has acknowledged the entry.
 */
export const m014Outbox: Migration = {
  version: 14,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        client_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        operation TEXT NOT NULL,
        base_version INTEGER,
        payload_json TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        sent_at INTEGER,
        UNIQUE (client_id, seq)
      ) STRICT;
      CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
      CREATE INDEX outbox_entity ON outbox (entity, entity_id);
    `);
  },
};
