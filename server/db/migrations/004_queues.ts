import type { ServerMigration } from '../migrate';

/**
 * Queues and the ACD (issue 11, docs/acd.md):
 * - `queues`: one row per queue, its settings as columns (see shared/acd/queueConfig.ts).
 * - `queue_numbers`: the numbers (SIP user parts) a queue answers; a number belongs to one queue.
 * - `queue_members`: agents of a queue with their skill level (1..10).
 * - `agent_extensions`: the SIP user an agent is rung at when it differs from their user id.
 * - `queue_events`: insert-only facts about queued calls, written by the router from what Kamailio
 *   reports, stamped with the server clock (`at`, epoch ms). The single source of queue figures.
 *   `detail` keeps what a standby router needs to resume a waiting call (tindex, tlabel, attempt).
 */
export const m004Queues: ServerMigration = {
  version: 4,
  name: 'queues',
  sql: `
    CREATE TABLE queues (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      priority INTEGER NOT NULL DEFAULT 0,
      policy TEXT NOT NULL DEFAULT 'longest-idle' CHECK (policy IN ('longest-idle', 'skills')),
      widen_after_sec INTEGER NOT NULL DEFAULT 20,
      owner_first_sec INTEGER NOT NULL DEFAULT 0,
      vip_first BOOLEAN NOT NULL DEFAULT TRUE,
      sl_target_sec INTEGER NOT NULL DEFAULT 20,
      sl_target_pct INTEGER NOT NULL DEFAULT 80,
      short_abandon_sec INTEGER NOT NULL DEFAULT 5,
      wrap_up_mode TEXT NOT NULL DEFAULT 'agent' CHECK (wrap_up_mode IN ('agent', 'timed', 'none')),
      wrap_up_sec INTEGER NOT NULL DEFAULT 30,
      ring_timeout_sec INTEGER NOT NULL DEFAULT 15,
      max_wait_sec INTEGER NOT NULL DEFAULT 600,
      overflow_target TEXT,
      hours JSONB,
      closed_target TEXT,
      version INTEGER NOT NULL DEFAULT 1,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );

    CREATE TABLE queue_numbers (
      number TEXT PRIMARY KEY,
      queue_id TEXT NOT NULL REFERENCES queues (id) ON DELETE CASCADE
    );
    CREATE INDEX queue_numbers_queue ON queue_numbers (queue_id);

    CREATE TABLE queue_members (
      queue_id TEXT NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
      agent_id TEXT NOT NULL,
      skill INTEGER NOT NULL DEFAULT 5 CHECK (skill BETWEEN 1 AND 10),
      PRIMARY KEY (queue_id, agent_id)
    );
    CREATE INDEX queue_members_agent ON queue_members (agent_id);

    CREATE TABLE agent_extensions (
      agent_id TEXT PRIMARY KEY,
      extension TEXT NOT NULL
    );

    CREATE TABLE queue_events (
      id BIGSERIAL PRIMARY KEY,
      call_id TEXT NOT NULL,
      queue_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('entered', 'offered', 'no-answer', 'answered', 'abandoned', 'overflowed', 'closed', 'transferred', 'ended')),
      agent_id TEXT,
      at BIGINT NOT NULL,
      wait_ms BIGINT,
      detail JSONB NOT NULL DEFAULT '{}'::jsonb
    );
    CREATE INDEX queue_events_queue ON queue_events (queue_id, at);
    CREATE INDEX queue_events_call ON queue_events (call_id, id);
  `,
};
