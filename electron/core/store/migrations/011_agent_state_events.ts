import type { Migration } from '../migration';

/** Agent state changes (insert-only): what state, since when, how long the previous one lasted. */
export const m011AgentStateEvents: Migration = {
  version: 11,
  name: 'agent_state_events',
  up(db) {
    db.exec(`
      CREATE TABLE agent_state_events (
        id TEXT PRIMARY KEY NOT NULL,
        seq INTEGER NOT NULL UNIQUE,
        agent_id TEXT NOT NULL,
        from_state TEXT,
        from_reason TEXT,
        to_state TEXT NOT NULL,
        to_reason TEXT,
        at INTEGER NOT NULL,
        previous_ms INTEGER,
        call_id TEXT,
        cause TEXT
      ) STRICT;
      CREATE INDEX agent_state_events_agent ON agent_state_events (agent_id, at);
      CREATE TRIGGER agent_state_events_no_update BEFORE UPDATE ON agent_state_events
        BEGIN SELECT RAISE(ABORT, 'agent state events are insert-only'); END;
    `);
  },
};
