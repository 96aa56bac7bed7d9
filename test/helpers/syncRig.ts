import type { Core } from '../../electron/core/createCore';
import type { Db } from '../../server/db/db';
import { UserService } from '../../server/services/users';
import type { SyncState } from '../../shared/sync/api';
import { createMemorySecretStore } from '../fakes/adapters';
import { tempDataDir } from './hostProcess';
import { startPostgres, type TestPostgres } from './postgres';
import { openTestDb, TEST_PASSWORD_COST, TEST_SECRET } from './serverHarness';
import { startServerProcess, type ServerProcess } from './serverProcess';
import { createTestCore } from './testCore';
import { freePort, until } from './wait';

/** The password of every rig user. */
export const RIG_PASSWORD = 'password-123';

/**
 * Whole desktop cores against the central server process on a real PostgreSQL, on a fixed port so
 * the server can be killed and started again under the same address. Users alice and bob (agents,
 * team red) and root (admin) exist.
 */
export interface SyncRig {
  db: Db;
  /** The PostgreSQL database the server runs on (for the admin command line). */
  dbUrl: string;
  /** `http://127.0.0.1:<port>` */
  base: string;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  serverRunning(): boolean;
  /** A desktop core with a one-second retry cap on its own data folder and keychain. */
  desktop(opts?: { secrets?: ReturnType<typeof createMemorySecretStore>; dataDir?: string; env?: Record<string, string> }): Promise<RigDesktop>;
  /** Closes the desktops made since the last call (afterEach). */
  closeDesktops(): Promise<void>;
  stop(): Promise<void>;
}

/** A desktop of the rig. */
export interface RigDesktop {
  core: Core;
  secrets: ReturnType<typeof createMemorySecretStore>;
  dataDir: string;
  /** Every `sync:state` it emitted. */
  states: SyncState[];
  close(): Promise<void>;
}

/** Starts PostgreSQL, the users and the server process. */
export async function startSyncRig(): Promise<SyncRig> {
  const pg: TestPostgres = await startPostgres();
  const dbUrl = await pg.createDatabase();
  const db = await openTestDb(dbUrl);
  const users = new UserService(db, TEST_PASSWORD_COST);
  await users.create({ id: 'alice', password: RIG_PASSWORD, role: 'agent', team: 'red' });
  await users.create({ id: 'bob', password: RIG_PASSWORD, role: 'agent', team: 'red' });
  await users.create({ id: 'root', password: RIG_PASSWORD, role: 'admin', team: null });
  const port = await freePort();
  let server: ServerProcess | null = null;
  const open: RigDesktop[] = [];
  const rig: SyncRig = {
    db,
    dbUrl,
    base: `http://127.0.0.1:${port}`,
    async startServer() {
      server = await startServerProcess({ DATABASE_URL: dbUrl, CALLDESK_SERVER_SECRET: TEST_SECRET, CALLDESK_SERVER_PORT: String(port) });
    },
    async stopServer() {
      await server?.kill();
      server = null;
    },
    serverRunning: () => server !== null,
    async desktop(opts = {}) {
      const secrets = opts.secrets ?? createMemorySecretStore();
      const dataDir = opts.dataDir ?? tempDataDir('sync-core-');
      const { core } = await createTestCore({ dataDir, env: { CALLDESK_SERVER_RETRYMAXSECONDS: '1', ...opts.env }, adapters: { secrets } });
      const states: SyncState[] = [];
      core.events.on('sync:state', (s) => states.push(s));
      let closed = false;
      const d: RigDesktop = {
        core,
        secrets,
        dataDir,
        states,
        async close() {
          if (closed) return;
          closed = true;
          await core.close();
        },
      };
      open.push(d);
      return d;
    },
    async closeDesktops() {
      for (const d of open.splice(0).reverse()) await d.close();
    },
    async stop() {
      await rig.closeDesktops();
      await rig.stopServer();
      await db.close();
      await pg.stop();
    },
  };
  await rig.startServer();
  return rig;
}

/** Invokes a contract channel on a core; a refusal throws an Error carrying its `code`. */
export async function invoke<T>(core: Core, channel: string, payload: unknown): Promise<T> {
  const res = await core.dispatcher.invoke(channel, payload, { transport: 'ws' });
  if (!res.ok) throw Object.assign(new Error(res.error.message), { code: res.error.code });
  return res.value as T;
}

/** Signs a core in as `username` and waits until it is online with the real-time channel. */
export async function signIn(rig: SyncRig, core: Core, username: string): Promise<void> {
  await invoke(core, 'sync:sign-in', { url: rig.base, username, password: RIG_PASSWORD });
  await until(() => core.sync.state().connection === 'online' && core.sync.state().realtime, `${username} online`);
}
