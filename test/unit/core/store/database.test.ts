import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, readSchemaVersion } from '../../../../electron/core/store/database';
import type { Migration } from '../../../../electron/core/store/migration';
import { MIGRATIONS } from '../../../../electron/core/store/migrations';
import { tempDataDir } from '../../../helpers/hostProcess';

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('openDatabase', () => {
  it('creates a WAL database at the latest schema version', () => {
    const file = path.join(tempDataDir(), 'a.sqlite');
    const db = openDatabase({ file });
    expect(readSchemaVersion(db)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses a database written by a newer version and leaves the file byte-identical', () => {
    const file = path.join(tempDataDir(), 'newer.sqlite');
    const raw = new Database(file);
    raw.exec('CREATE TABLE future (x INTEGER)');
    raw.pragma('user_version = 999');
    raw.close();
    const before = sha(file);
    const mtime = fs.statSync(file).mtimeMs;
    expect(() => openDatabase({ file })).toThrowError(expect.objectContaining({ code: 'DB_TOO_NEW', message: expect.stringContaining('newer CallDesk') }));
    expect(sha(file)).toBe(before);
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('runs pending migrations in one transaction: a failing one leaves the earlier ones unapplied', () => {
    const db = new Database(':memory:');
    const good: Migration = { version: 1, name: 'good', up: (d) => d.exec('CREATE TABLE t1 (x INTEGER)') };
    const bad: Migration = { version: 2, name: 'bad', up: (d) => d.exec('CREATE TABLE broken (') };
    expect(() => migrate(db, [good, bad])).toThrow();
    expect(readSchemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't1'").get()).toEqual({ n: 0 });
  });

  it('applies only the migrations above the recorded version', () => {
    const db = new Database(':memory:');
    const applied: number[] = [];
    const m = (v: number): Migration => ({ version: v, name: `m${v}`, up: () => void applied.push(v) });
    migrate(db, [m(1), m(2)]);
    migrate(db, [m(1), m(2), m(3)]);
    expect(applied).toEqual([1, 2, 3]);
    expect(readSchemaVersion(db)).toBe(3);
  });

  it('reports an unreadable file as DB_ERROR with the path', () => {
    const dir = tempDataDir();
    const file = path.join(dir, 'garbage.sqlite');
    fs.writeFileSync(file, 'this is not a database'.repeat(100));
    expect(() => openDatabase({ file })).toThrowError(expect.objectContaining({ code: 'DB_ERROR', message: expect.stringContaining(file) }));
    expect(fs.readFileSync(file, 'utf8')).toBe('this is not a database'.repeat(100));
  });
});
