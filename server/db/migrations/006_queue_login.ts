import type { ServerMigration } from '../migrate';

/**
 * Queue login (issue 11, docs/acd.md "Queue login"):
 * - `queue_logouts`: the current state; a member with a row here is logged out of that queue and is
 *   not offered its calls. No row: logged in (a new member is in the queue until they log out).
 *   Kept apart from `queue_members`, whose rows an admin replaces whole.
 * - `queue_agent_events`: insert-only history of logins and logouts per queue, stamped with the
 *   server clock (`at`, epoch ms) and who did it (`by`: the agent, or an admin/supervisor). The
 *   source of per-queue logged-in time for the supervisor figures.
 */
export const m006QueueLogin: ServerMigration = {
  version: 6,
  name: 'queue_login',
  sql: `
    CREATE TABLE queue_logouts (
      queue_id TEXT NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
      agent_id TEXT NOT NULL,
      at BIGINT NOT NULL,
      PRIMARY KEY (queue_id, agent_id)
    );

    CREATE TABLE queue_agent_events (
      id BIGSERIAL PRIMARY KEY,
      queue_id TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('login', 'logout')),
      at BIGINT NOT NULL,
      by TEXT NOT NULL
    );
    CREATE INDEX queue_agent_events_agent ON queue_agent_events (agent_id, queue_id, id);
    CREATE INDEX queue_agent_events_queue ON queue_agent_events (queue_id, at);
  `,
};
