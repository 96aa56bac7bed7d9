import type Database from 'better-sqlite3';

/** One numbered schema migration. Never edit one that has shipped: add a new one. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
