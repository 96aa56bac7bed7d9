import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../../../../../electron/core/store/database';
import { m001Settings } from '../../../../../electron/core/store/migrations/001_settings';
import { m010Interactions } from '../../../../../electron/core/store/migrations/010_interactions';
import { m011AgentStateEvents } from '../../../../../electron/core/store/migrations/011_agent_state_events';

describe('migration 011_agent_state_events', () => {
  it('brings a version 10 database to version 11; events are insert-only with a unique sequence', () => {
    const db = new Database(':memory:');
    migrate(db, [m001Settings, m010Interactions]);
    expect(readSchemaVersion(db)).toBe(10);
    migrate(db, [m001Settings, m010Interactions, m011AgentStateEvents]);
    expect(readSchemaVersion(db)).toBe(11);
    const ins = db.prepare("INSERT INTO agent_state_events (id, seq, agent_id, to_state, at) VALUES (?, ?, 'a1', 'ready', 1)");
    ins.run('e1', 1);
    expect(() => ins.run('e2', 1)).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE agent_state_events SET to_state = 'not-ready'").run()).toThrow(/insert-only/);
  });
});
