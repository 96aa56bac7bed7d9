import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../../../../../electron/core/store/database';
import { m001Settings } from '../../../../../electron/core/store/migrations/001_settings';
import { m011AgentStateEvents } from '../../../../../electron/core/store/migrations/011_agent_state_events';
import { m012Tickets } from '../../../../../electron/core/store/migrations/012_tickets';

describe('migration 012_tickets', () => {
  it('brings a version 11 database to version 12 with tickets, links and history', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, [m001Settings, m011AgentStateEvents]);
    migrate(db, [m001Settings, m011AgentStateEvents, m012Tickets]);
    expect(readSchemaVersion(db)).toBe(12);
    db.prepare(
      "INSERT INTO tickets (id, type, priority, status, subject, created_by, created_at, updated_at, due_at, version) VALUES ('t1', 'complaint', 'P1', 'new', 's', 'a1', 1, 1, 2, 1)",
    ).run();
    db.prepare("INSERT INTO ticket_interactions (ticket_id, interaction_id, linked_at) VALUES ('t1', 'i1', 1)").run();
    expect(() => db.prepare("INSERT INTO ticket_interactions (ticket_id, interaction_id, linked_at) VALUES ('t1', 'i1', 2)").run()).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => db.prepare("INSERT INTO ticket_history (ticket_id, at, by, action, changes_json) VALUES ('nope', 1, 'a1', 'created', '[]')").run()).toThrow(/FOREIGN KEY/);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM tickets WHERE assignee = 'a1' AND status IN ('new','open','pending') ORDER BY due_at").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/INDEX tickets_assignee_status/);
  });
});
