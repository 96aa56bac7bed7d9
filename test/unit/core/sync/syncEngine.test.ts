import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/api/result';
import type { PullResponse, PushResponse, SyncMutation } from '../../../../shared/sync/protocol';
import type { SyncStatus } from '../../../../shared/sync/status';
import { createLogRoot } from '../../../../electron/core/log/logger';
import { OutboxRepository } from '../../../../electron/core/outbox/outboxRepository';
import { openDatabase } from '../../../../electron/core/store/database';
import { MetaStore } from '../../../../electron/core/store/metaStore';
import { metaCursorStore, SyncEngine, type SyncServer } from '../../../../electron/core/sync/syncEngine';

/** A scripted server: answers pushes like the real one (high-water), or fails on demand. */
class FakeServer implements SyncServer {
  signedIn = true;
  accessToken: string | null = null;
  baseUrl = 'http://127.0.0.1:1';
  highWater = 0;
  received: number[][] = [];
  failures: AppError[] = [];
  maxBatch = Infinity;
  pages: PullResponse[] = [];
  pulls: number[] = [];

  async push(clientId: string, mutations: SyncMutation[]): Promise<PushResponse> {
    const f = this.failures.shift();
    if (f) throw f;
    if (mutations.length > this.maxBatch) throw new AppError('PAYLOAD_TOO_LARGE', 'too large');
    this.received.push(mutations.map((m) => m.seq));
    const results = mutations.map((m) => {
      if (m.seq === this.highWater + 1) {
        this.highWater = m.seq;
        return { seq: m.seq, entity: m.entity, entityId: m.entityId, status: 'applied' as const };
      }
      return { seq: m.seq, entity: m.entity, entityId: m.entityId, status: m.seq <= this.highWater ? ('applied' as const) : ('retry' as const), ...(m.seq <= this.highWater ? { duplicate: true } : {}) };
    });
    return { clientId, highWater: this.highWater, results };
  }

  async pull(cursor: number): Promise<PullResponse> {
    this.pulls.push(cursor);
    const f = this.failures.shift();
    if (f) throw f;
    return this.pages.shift() ?? { changes: [], cursor, hasMore: false, latest: cursor };
  }
}

function setup(server: FakeServer, batchSize = 5) {
  const db = openDatabase({ file: ':memory:' });
  const outbox = new OutboxRepository(db, () => 1);
  const statuses: SyncStatus[] = [];
  const applied: string[] = [];
  const engine = new SyncEngine({
    api: server,
    outbox,
    cursor: metaCursorStore(new MetaStore(db)),
    clock: { now: () => Date.now() },
    logger: createLogRoot([]).createLogger('sync'),
    backoff: { baseMs: 1, maxMs: 5, jitter: 0 },
    batchSize,
    applyChanges: (changes) => applied.push(...changes.map((c) => c.id)),
    onStatus: (s) => statuses.push(s),
  });
  const add = (n: number) => {
    for (let i = 0; i < n; i++) db.transaction(() => outbox.append({ entity: 'interaction', entityId: `i${outbox.count() + 1}`, operation: 'create', baseVersion: null, payload: {} as never }))();
  };
  return { db, outbox, engine, statuses, applied, add };
}

async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !pred(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(pred()).toBe(true);
}

describe('SyncEngine', () => {
  it('pushes the outbox in sequence order in batches and marks entries sent only up to the server high-water', async () => {
    const server = new FakeServer();
    const s = setup(server, 4);
    s.add(10);
    s.engine.start();
    await s.engine.whenIdle();
    expect(server.received).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    expect(s.outbox.count(true)).toBe(0);
    expect(s.engine.status()).toMatchObject({ connection: 'online', outboxDepth: 0, lastError: null });
    await s.engine.stop();
  });

  it('goes offline on network errors, retries with backoff and keeps every entry until acknowledged', async () => {
    const server = new FakeServer();
    const s = setup(server);
    s.add(3);
    server.failures = [new AppError('DISCONNECTED', 'down'), new AppError('DISCONNECTED', 'down'), new AppError('DISCONNECTED', 'down')];
    s.engine.start();
    await until(() => s.engine.status().connection === 'online');
    const offline = s.statuses.filter((x) => x.connection === 'offline');
    expect(offline.length).toBeGreaterThanOrEqual(1);
    expect(offline[0]).toMatchObject({ outboxDepth: 3, lastError: 'down' });
    expect(offline[0]!.nextRetryAt).not.toBeNull();
    expect(server.highWater).toBe(3);
    await s.engine.stop();
  });

  it('lets saves made during an outage wait for the scheduled retry: one attempt per backoff step, not one per save', async () => {
    const server = new FakeServer();
    const s = setup(server);
    const engine = new SyncEngine({
      api: server,
      outbox: s.outbox,
      cursor: metaCursorStore(new MetaStore(s.db)),
      clock: { now: () => Date.now() },
      logger: createLogRoot([]).createLogger('sync'),
      // A retry a minute away: anything that reaches the server during this test bypassed it.
      backoff: { baseMs: 60_000, maxMs: 60_000, jitter: 0 },
      applyChanges: () => undefined,
    });
    server.failures = [new AppError('DISCONNECTED', 'down')];
    engine.start();
    await until(() => engine.status().connection === 'offline');
    expect(server.pulls).toHaveLength(1);
    // Thirty saves during the backoff: each writes its outbox entry and tells the engine.
    for (let i = 0; i < 30; i++) {
      s.add(1);
      engine.notify();
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(server.pulls).toHaveLength(1);
    expect(server.received).toEqual([]);
    expect(engine.status()).toMatchObject({ connection: 'offline', outboxDepth: 30 });
    // The agent's "retry now" does not wait for the schedule, and takes every save in one go.
    engine.retryNow();
    await until(() => engine.status().connection === 'online');
    expect(server.pulls).toHaveLength(2);
    expect(server.received).toHaveLength(1);
    expect(server.highWater).toBe(30);
    await engine.stop();
  });

  it('ends a batch before an entry that needs the answer to an earlier entry of the same batch', async () => {
    const server = new FakeServer();
    const s = setup(server, 10);
    const engine = new SyncEngine({
      api: server,
      outbox: s.outbox,
      cursor: metaCursorStore(new MetaStore(s.db)),
      clock: { now: () => Date.now() },
      logger: createLogRoot([]).createLogger('sync'),
      backoff: { baseMs: 1, maxMs: 5, jitter: 0 },
      batchSize: 10,
      applyChanges: () => undefined,
      // i3 points to what i2 creates; i5 to what i1 creates (answered by then).
      needsAnswerOf: (m) => ({ i3: 'interaction:i2', i5: 'interaction:i1' })[m.entityId] ?? null,
    });
    s.add(6);
    engine.start();
    await engine.whenIdle();
    expect(server.received).toEqual([
      [1, 2],
      [3, 4, 5, 6],
    ]);
    await engine.stop();
  });

  it('halves the batch while the server answers 413 and never skips an entry', async () => {
    const server = new FakeServer();
    server.maxBatch = 3;
    const s = setup(server, 16);
    s.add(10);
    s.engine.start();
    await s.engine.whenIdle();
    expect(server.received.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(server.received.every((b) => b.length <= 3)).toBe(true);
    await s.engine.stop();
  });

  it('resumes after an answer was lost: the server already had the batch, the engine moves on', async () => {
    const server = new FakeServer();
    const s = setup(server, 5);
    s.add(5);
    // The server applied 1-5 but the desktop never saw the answer (killed, network cut).
    server.highWater = 5;
    s.engine.start();
    await s.engine.whenIdle();
    expect(s.outbox.count(true)).toBe(0);
    s.add(2);
    s.engine.notify();
    await s.engine.whenIdle();
    expect(server.received.at(-1)).toEqual([6, 7]);
    expect(server.highWater).toBe(7);
    await s.engine.stop();
  });

  it('pulls every page on start, keeps the cursor, and shows progress while pages remain', async () => {
    const server = new FakeServer();
    server.pages = [
      { changes: [{ changeId: 1, entity: 'customer', id: '1', op: 'upsert', record: {} }], cursor: 1, hasMore: true, latest: 2 },
      { changes: [{ changeId: 2, entity: 'customer', id: '2', op: 'upsert', record: {} }], cursor: 2, hasMore: false, latest: 2 },
    ];
    const s = setup(server);
    s.engine.start();
    await s.engine.whenIdle();
    expect(s.applied).toEqual(['1', '2']);
    expect(server.pulls).toEqual([0, 1]);
    expect(metaCursorStore(new MetaStore(s.db)).get()).toBe(2);
    expect(s.statuses.some((x) => x.pull !== null && x.pull.cursor === 1 && x.pull.latest === 2)).toBe(true);
    expect(s.engine.status().pull).toBeNull();
    await s.engine.stop();
  });

  it('shows signed-out when the session is refused and stops trying', async () => {
    const server = new FakeServer();
    const s = setup(server);
    s.add(1);
    server.failures = [new AppError('UNAUTHORIZED', 'Sign in again')];
    s.engine.start();
    await until(() => s.engine.status().connection === 'signed-out');
    await new Promise((r) => setTimeout(r, 30));
    expect(server.pulls).toEqual([0]);
    expect(s.engine.status()).toMatchObject({ connection: 'signed-out', outboxDepth: 1, nextRetryAt: null });
    await s.engine.stop();
  });

  it('on CLIENT_ID_TAKEN from a copied profile: pushes the identical entries before the divergence, then re-keys and sends the rest from 1', async () => {
    const server = new FakeServer();
    const s = setup(server, 10);
    s.add(5);
    const old = s.outbox.clientId();
    // Another desktop already pushed 1-2 exactly like ours and a different 3 under our client id.
    server.highWater = 3;
    const pushedAs: string[] = [];
    const push = server.push.bind(server);
    server.push = async (clientId, mutations) => {
      pushedAs.push(clientId);
      if (pushedAs.length === 1) throw new AppError('CLIENT_ID_TAKEN', 'copied profile', { reason: 'other-desktop', divergedAt: 3 });
      // The new client id is new to the server.
      if (clientId !== old && pushedAs.filter((c) => c !== old).length === 1) server.highWater = 0;
      return push(clientId, mutations);
    };
    s.engine.start();
    await s.engine.whenIdle();
    const fresh = s.outbox.clientId();
    expect(fresh).not.toBe(old);
    // Refused batch, the identical prefix (answers adopted), then entries 3-5 numbered 1-3 under the new id.
    expect(server.received).toEqual([
      [1, 2],
      [1, 2, 3],
    ]);
    expect(pushedAs).toEqual([old, old, fresh]);
    expect(s.outbox.forEntity('interaction', 'i3').map((e) => [e.clientId, e.seq])).toEqual([[fresh, 1]]);
    expect(s.outbox.count(true)).toBe(0);
    await s.engine.stop();
  });

  it('on CLIENT_ID_TAKEN from another user: re-keys at once and sends every unsent entry from 1', async () => {
    const server = new FakeServer();
    const s = setup(server, 10);
    s.add(3);
    const old = s.outbox.clientId();
    let refused = false;
    const push = server.push.bind(server);
    server.push = async (clientId, mutations) => {
      if (!refused) {
        refused = true;
        throw new AppError('CLIENT_ID_TAKEN', 'other user', { reason: 'other-user' });
      }
      return push(clientId, mutations);
    };
    s.engine.start();
    await s.engine.whenIdle();
    expect(s.outbox.clientId()).not.toBe(old);
    expect(server.received).toEqual([[1, 2, 3]]);
    expect(s.outbox.count(true)).toBe(0);
    await s.engine.stop();
  });
});
