import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { buildServer, type BuildServerOptions, type CallDeskServer } from '../../server/app';
import { DEFAULT_SERVER_CONFIG, type ServerConfig } from '../../server/config';
import type { Db } from '../../server/db/db';
import { migrate } from '../../server/db/migrate';
import { SERVER_MIGRATIONS } from '../../server/db/migrations';
import { createPgDb } from '../../server/db/pgDb';
import { createServerLogger } from '../../server/log';
import type { RealtimeServerMessage, UserRole } from '../../shared/sync/protocol';

/** The token secret every test instance shares (instances on one database must agree). */
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** Cheap argon2id for tests (the production cost is tested on its own). */
export const TEST_PASSWORD_COST = { memoryKiB: 1024, iterations: 1 };

/** A server configuration for tests: random port, cheap hashing, quiet logs. */
export function testServerConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...DEFAULT_SERVER_CONFIG, port: 0, tokenSecret: TEST_SECRET, passwordCost: TEST_PASSWORD_COST, logLevel: 'error', heartbeatMs: 60_000, ...overrides };
}

/** Opens and migrates a pg database. */
export async function openTestDb(url: string, poolSize = 10): Promise<Db> {
  const db = createPgDb({ connectionString: url, max: poolSize, logger: createServerLogger('test-db', 'error') });
  await migrate(db, SERVER_MIGRATIONS);
  return db;
}

/** An in-process server listening on 127.0.0.1. */
export interface TestServer {
  server: CallDeskServer;
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

/** Starts a server instance on `db` (the database is not closed by `close`). */
export async function startTestServer(db: Db, overrides: Partial<ServerConfig> = {}, options: BuildServerOptions = {}): Promise<TestServer> {
  const config = testServerConfig(overrides);
  const server = await buildServer(config, db, { logger: createServerLogger('test', (process.env.CALLDESK_TEST_LOG as 'debug' | undefined) ?? 'error'), ...options });
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  return { server, url: address, wsUrl: address.replace(/^http/, 'ws') + '/realtime', close: () => server.close() };
}

/** A JSON HTTP answer. Untyped by default: tests read error and record bodies alike. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON of any route
export interface HttpAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the server with JSON (or a raw string body) and an optional bearer token. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see HttpAnswer
export async function call<T = any>(base: string, method: string, path: string, opts: { token?: string; body?: unknown; raw?: string; contentType?: string } = {}): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['content-type'] = opts.contentType ?? 'application/json';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(base + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Creates a user directly and returns an access token for it (no sign-in, no rate limit). */
export async function userWithToken(s: CallDeskServer, id: string, role: UserRole = 'agent', team: string | null = null): Promise<string> {
  await s.users.create({ id, password: 'password-123', role, team });
  return s.signer.sign({ id, role, team });
}

/** A real-time client: connects, authenticates, collects messages. */
export interface TestSocket {
  ws: WebSocket;
  messages: RealtimeServerMessage[];
  /** Resolves with the first message (already received or future) matching `pred`. */
  next<T extends RealtimeServerMessage>(pred: (m: RealtimeServerMessage) => m is T, timeoutMs?: number): Promise<T>;
  next(pred: (m: RealtimeServerMessage) => boolean, timeoutMs?: number): Promise<RealtimeServerMessage>;
  send(msg: unknown): void;
  close(): Promise<void>;
}

/** Opens `/realtime` and waits for `ready`. */
export async function connectRealtime(wsUrl: string, token: string): Promise<TestSocket> {
  const ws = new WebSocket(wsUrl);
  const messages: RealtimeServerMessage[] = [];
  const waiters: Array<{ pred: (m: RealtimeServerMessage) => boolean; resolve: (m: RealtimeServerMessage) => void; from: number }> = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as RealtimeServerMessage;
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const sock: TestSocket = {
    ws,
    messages,
    next(pred: (m: RealtimeServerMessage) => boolean, timeoutMs = 10_000): Promise<RealtimeServerMessage> {
      const found = messages.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve, from: messages.length };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error(`no matching realtime message within ${timeoutMs} ms; got ${JSON.stringify(messages.map((x) => x.type))}`));
          }
        }, timeoutMs).unref();
      });
    },
    send: (msg) => ws.send(JSON.stringify(msg)),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
  sock.send({ type: 'auth', token });
  await sock.next((m) => m.type === 'ready');
  return sock;
}

/** A desktop-like outbox: numbered mutations for one client id. */
export class FakeOutbox {
  readonly clientId: string;
  private seq = 0;
  readonly entries: Array<{ clientId: string; seq: number; entity: string; entityId: string; operation: string; baseVersion: number | null; payload: unknown; createdAt: number }> = [];

  constructor(clientId: string = randomUUID()) {
    this.clientId = clientId;
  }

  /** Appends a mutation and returns it. */
  add(entity: string, entityId: string, operation: string, baseVersion: number | null, payload: unknown) {
    const e = { clientId: this.clientId, seq: ++this.seq, entity, entityId, operation, baseVersion, payload, createdAt: Date.now() };
    this.entries.push(e);
    return e;
  }

  /** A push body with the given entries (default: all). */
  batch(entries = this.entries) {
    return { clientId: this.clientId, mutations: entries };
  }
}
