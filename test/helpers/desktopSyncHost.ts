// A minimal desktop host for the kill -9 test: the real SQLite store, outbox and sync engine in
// their own process. It keeps logging interactions (each in its own transaction, with its outbox
// row) and pushing them, until killed. With DRAIN=1 it logs nothing new, drains and exits 0.
// Env: DB_FILE, SERVER_URL, ACCESS_TOKEN, DRAIN.
import { randomUUID } from 'node:crypto';
import { createLogRoot } from '../../electron/core/log/logger';
import { OutboxRepository } from '../../electron/core/outbox/outboxRepository';
import { openDatabase } from '../../electron/core/store/database';
import { ServerApi } from '../../electron/core/sync/serverApi';
import { MetaStore } from '../../electron/core/store/metaStore';
import { metaCursorStore, SyncEngine } from '../../electron/core/sync/syncEngine';
import { interactionRecord } from './syncFixtures';

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};
const db = openDatabase({ file: env('DB_FILE') });
const outbox = new OutboxRepository(db, () => Date.now());
const api = new ServerApi({ baseUrl: env('SERVER_URL'), tokens: { accessToken: env('ACCESS_TOKEN'), refreshToken: 'x'.repeat(43) } });
const engine = new SyncEngine({
  api,
  outbox,
  cursor: metaCursorStore(new MetaStore(db)),
  clock: { now: () => Date.now() },
  logger: createLogRoot([]).createLogger('host'),
  backoff: { baseMs: 20, maxMs: 200, jitter: 0 },
  batchSize: 15,
  applyChanges: () => undefined,
});
engine.start();
if (process.env.DRAIN === '1') {
  void engine.whenIdle().then(() => {
    process.stdout.write('DRAINED\n');
    process.exit(0);
  });
} else {
  const log = () => {
    db.transaction(() => {
      const r = interactionRecord({ id: randomUUID(), agentId: 'alice' });
      outbox.append({ entity: 'interaction', entityId: r.id, operation: 'create', baseVersion: null, payload: { record: r } });
    })();
    engine.notify();
  };
  setInterval(() => {
    for (let i = 0; i < 3; i++) log();
  }, 5);
  process.stdout.write('RUNNING\n');
}
