import type { ServerMigration } from '../migrate';

/**
 * The initial schema.
 *
 * - `change_seq` numbers every change of a record that desktops pull (customers, tickets, tasks,
 *   config, users): each such row carries the `change_id` of its latest change. Change ids are
 *   taken under a transaction-scoped advisory lock at the end of each writing transaction, so they
 *   become visible in increasing order and a pull cursor never skips a change.
 * - `sync_clients` holds each desktop's high-water sequence; `sync_results` the answer given for
 *   every sequence number, written in the same transaction as the change itself (exactly once),
 *   with the desktop's record version after the change (`client_version`) and the server version
 *   the desktop knew when it made it (`known_version`), so later changes based on that desktop
 *   version are merged against what the desktop had actually seen.
 * - `tickets.field_versions` holds, per field, the version that last changed it and the client
 *   that changed it (`{"subject": {"v": 3, "c": "<client id>"}}`).
 * - Interactions, agent state events and call events are insert-only.
 */
export const m001Initial: ServerMigration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE SEQUENCE change_seq;

    CREATE TABLE users (
      id TEXT PRIMARY KEY,
      display_name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
      team TEXT,
      password_hash TEXT NOT NULL,
      disabled BOOLEAN NOT NULL DEFAULT false,
      version INTEGER NOT NULL DEFAULT 1,
      change_id BIGINT NOT NULL DEFAULT 0,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );
    CREATE INDEX users_change ON users (change_id);

    CREATE TABLE refresh_tokens (
      token_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      family TEXT NOT NULL,
      expires_at BIGINT NOT NULL,
      used_at BIGINT,
      revoked_at BIGINT
    );
    CREATE INDEX refresh_tokens_family ON refresh_tokens (family);

    CREATE TABLE login_attempts (
      key TEXT PRIMARY KEY,
      window_start BIGINT NOT NULL,
      count INTEGER NOT NULL
    );

    CREATE TABLE config (
      key TEXT PRIMARY KEY,
      value JSONB NOT NULL,
      version INTEGER NOT NULL DEFAULT 1,
      change_id BIGINT NOT NULL DEFAULT 0,
      updated_at BIGINT NOT NULL,
      updated_by TEXT
    );
    CREATE INDEX config_change ON config (change_id);

    CREATE TABLE customers (
      id BIGSERIAL PRIMARY KEY,
      code TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      owner_id TEXT,
      record JSONB NOT NULL,
      version INTEGER NOT NULL DEFAULT 1,
      change_id BIGINT NOT NULL DEFAULT 0,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );
    CREATE INDEX customers_change ON customers (change_id);
    CREATE INDEX customers_owner ON customers (owner_id);

    CREATE TABLE customer_phones (
      customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
      e164 TEXT NOT NULL,
      PRIMARY KEY (e164, customer_id)
    );

    CREATE TABLE tickets (
      id TEXT PRIMARY KEY,
      type TEXT NOT NULL,
      priority TEXT NOT NULL,
      status TEXT NOT NULL,
      category TEXT NOT NULL DEFAULT '',
      subject TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      customer_id BIGINT,
      assignee TEXT,
      created_by TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      due_at BIGINT NOT NULL,
      resolution TEXT,
      satisfaction INTEGER,
      resolved_at BIGINT,
      closed_at BIGINT,
      interaction_ids JSONB NOT NULL DEFAULT '[]',
      field_versions JSONB NOT NULL DEFAULT '{}',
      version INTEGER NOT NULL,
      change_id BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX tickets_change ON tickets (change_id);
    CREATE INDEX tickets_assignee ON tickets (assignee);
    CREATE INDEX tickets_created_by ON tickets (created_by);

    CREATE TABLE ticket_history (
      id BIGSERIAL PRIMARY KEY,
      ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
      at BIGINT NOT NULL,
      by TEXT NOT NULL,
      client_id TEXT,
      seq BIGINT,
      action TEXT NOT NULL,
      changes JSONB NOT NULL
    );
    CREATE INDEX ticket_history_ticket ON ticket_history (ticket_id, id);

    CREATE TABLE tasks (
      id TEXT PRIMARY KEY,
      assignee TEXT NOT NULL,
      status TEXT NOT NULL,
      record JSONB NOT NULL,
      version INTEGER NOT NULL,
      change_id BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX tasks_change ON tasks (change_id);

    CREATE TABLE interactions (
      id TEXT PRIMARY KEY,
      root_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      customer_id BIGINT,
      agent_id TEXT NOT NULL,
      occurred_at BIGINT NOT NULL,
      record JSONB NOT NULL,
      pushed_by TEXT NOT NULL,
      received_at BIGINT NOT NULL
    );
    CREATE INDEX interactions_customer ON interactions (customer_id, occurred_at);

    CREATE TABLE agent_state_events (
      id TEXT PRIMARY KEY,
      agent_id TEXT NOT NULL,
      to_state TEXT NOT NULL,
      at BIGINT NOT NULL,
      record JSONB NOT NULL,
      pushed_by TEXT NOT NULL,
      received_at BIGINT NOT NULL
    );
    CREATE INDEX agent_state_events_agent ON agent_state_events (agent_id, at);

    CREATE TABLE call_events (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      call_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      at BIGINT NOT NULL,
      record JSONB NOT NULL,
      received_at BIGINT NOT NULL
    );
    CREATE INDEX call_events_user ON call_events (user_id, at);

    CREATE TABLE sync_clients (
      client_id TEXT PRIMARY KEY,
      high_water BIGINT NOT NULL DEFAULT 0,
      last_user TEXT,
      updated_at BIGINT NOT NULL
    );

    CREATE TABLE sync_results (
      client_id TEXT NOT NULL,
      seq BIGINT NOT NULL,
      entity TEXT NOT NULL,
      entity_id TEXT NOT NULL,
      client_version INTEGER,
      server_version INTEGER,
      known_version INTEGER,
      result JSONB NOT NULL,
      applied_at BIGINT NOT NULL,
      PRIMARY KEY (client_id, seq)
    );
    CREATE INDEX sync_results_version ON sync_results (client_id, entity_id, client_version);
  `,
};
