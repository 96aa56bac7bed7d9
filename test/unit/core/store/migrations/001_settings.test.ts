import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../../electron/core/store/database';
import { m001Settings } from '../../../../../electron/core/store/migrations/001_settings';

describe('migration 001 settings', () => {
  it('creates the settings and meta tables', () => {
    const db = new Database(':memory:');
    migrate(db, [m001Settings]);
    db.prepare('INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)').run('ui.language', '"zh-CN"', 1);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('client_id', 'abc');
    expect(db.prepare('SELECT value_json FROM settings').get()).toEqual({ value_json: '"zh-CN"' });
    expect(() => db.prepare('INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)').run('x', 1, 'not-a-number')).toThrow();
  });
});
