import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../../../../../electron/core/store/database';
import { m001Settings } from '../../../../../electron/core/store/migrations/001_settings';
import { m013Tasks } from '../../../../../electron/core/store/migrations/013_tasks';
import { m014Outbox } from '../../../../../electron/core/store/migrations/014_outbox';

describe('migration 014_outbox', () => {
  it('brings a version 13 database to version 14; a sequence number is unique per client', () => {
    const db = new Database(':memory:');
    migrate(db, [m001Settings, m013Tasks]);
    migrate(db, [m001Settings, m013Tasks, m014Outbox]);
    expect(readSchemaVersion(db)).toBe(14);
    const ins = db.prepare("INSERT INTO outbox (client_id, seq, entity, entity_id, operation, payload_json, created_at) VALUES (?, ?, 'ticket', 't1', 'create', '{}', 1)");
    ins.run('c1', 1);
    ins.run('c2', 1);
    expect(() => ins.run('c1', 1)).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL').get()).toEqual({ n: 2 });
  });
});
