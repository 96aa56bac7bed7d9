import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './wait';

/**
 * A throw-away PostgreSQL instance for integration tests and benches: `initdb` into a temp
 * directory, `pg_ctl start` on a free loopback port with the socket in that directory, one fresh
 * database per `createDatabase()`, everything removed by `stop()`. When running as root the
 * server runs as the `postgres` system user (PostgreSQL refuses to run as root).
 *
 * Starting takes ~1-2 s; reuse one instance per test file and give each test its own database.
 */
export interface TestPostgres {
  /** Connection URL of the maintenance database. */
  readonly adminUrl: string;
  readonly port: number;
  readonly dataDir: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (fast shutdown) and removes the data directory. */
  stop(): Promise<void>;
}

export interface TestPostgresOptions {
  /** Durable commits (fsync, synchronous_commit). Off by default: tests do not need crash safety of the OS. */
  durable?: boolean;
  maxConnections?: number;
}

const CANDIDATE_BINDIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

/** The directory holding initdb and pg_ctl (PG_BINDIR wins). */
export function postgresBinDir(): string {
  const fromEnv = process.env.PG_BINDIR;
  if (fromEnv && fs.existsSync(path.join(fromEnv, 'initdb'))) return fromEnv;
  const found = CANDIDATE_BINDIRS.find((d) => fs.existsSync(path.join(d, 'initdb')));
  if (!found) throw new Error('PostgreSQL server binaries not found: install the Debian "postgresql" package (scripts/install-test-deps.sh)');
  return found;
}

/** Runs a PostgreSQL binary as the postgres user when we are root. */
function runAs(bin: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  const res = isRoot ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' }) : spawnSync(bin, args, { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${path.basename(bin)} failed (${res.status}): ${res.stderr || res.stdout}`);
}

/** Starts a fresh PostgreSQL instance. */
export async function startPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const isRoot = process.getuid?.() === 0;
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-pg-'));
  const dataDir = path.join(base, 'data');
  if (isRoot) execFileSync('chown', ['postgres:postgres', base]);
  runAs(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const durable = options.durable ?? false;
  const settings = [
    `-k ${base}`,
    `-p ${port}`,
    `-c listen_addresses=127.0.0.1`,
    `-c max_connections=${options.maxConnections ?? 200}`,
    `-c shared_buffers=128MB`,
    ...(durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ].join(' ');
  runAs(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-o', settings, '-l', path.join(base, 'server.log'), '-w', '-t', '30', 'start']);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let counter = 0;
  let stopped = false;
  return {
    adminUrl,
    port,
    dataDir,
    async createDatabase(name) {
      const db = name ?? `t_${process.pid}_${Date.now().toString(36)}_${++counter}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${db}" TEMPLATE template0 ENCODING 'UTF8'`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${db}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        runAs(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop']);
      } finally {
        fs.rmSync(base, { recursive: true, force: true });
      }
    },
  };
}
