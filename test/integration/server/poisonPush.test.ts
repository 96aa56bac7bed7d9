import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/db';
import type { Customer } from '../../../shared/customer/schema';
import type { PushResponse } from '../../../shared/sync/protocol';
import type { Task } from '../../../shared/task/task';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { call, FakeOutbox, openTestDb, startTestServer, userWithToken, type TestServer } from '../../helpers/serverHarness';
import { interactionRecord, ticketRecord } from '../../helpers/syncFixtures';

/**
 * Values PostgreSQL or JSON cannot carry, pushed through every text and number field of every
 * pushed entity against a real PostgreSQL: each push answers 200, the poisoned mutation alone is
 * `rejected` (`invalid`, with a reason), and the mutation queued behind it is applied.
 */

let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
let alice: string;
let admin: string;

beforeAll(async () => {
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  srv = await startTestServer(db);
  alice = await userWithToken(srv.server, 'alice', 'agent', 'red');
  admin = await userWithToken(srv.server, 'root', 'admin');
});

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
});

const T = 1_700_000_000_000;
let codes = 0;

/** Full records: every nullable field set, so every field is a text or number leaf to poison. */
function fullInteraction(): Record<string, unknown> {
  return interactionRecord({
    agentId: 'alice',
    revisionOf: 'r0',
    correctionReason: 'typo',
    customerId: 7,
    remoteName: 'Li Lei',
    queue: 'vip',
    headers: { 'X-Account': '42' },
    sipCallId: 'sip-call-id',
    holds: [{ start: T + 2000, end: T + 3000 }],
    wrapUpMs: 1000,
    endSipCode: 200,
    disposition: 'solved',
    subject: 'Billing',
    notes: 'Called about the bill',
    quality: { samples: 3, mosAvg: 4.2, mosMin: 3.9, rttAvgMs: 40, jitterAvgMs: 2, lossAvg: 0.01, codec: 'opus' },
    ticketIds: ['t-1'],
  }) as unknown as Record<string, unknown>;
}

function fullTicket(): Record<string, unknown> {
  return ticketRecord({ category: 'billing', customerId: 7, assignee: 'alice', createdBy: 'alice', pendingSince: T, resolution: 'none', satisfaction: 4, resolvedAt: T, closedAt: T, interactionIds: ['i-1'] }) as unknown as Record<string, unknown>;
}

function fullTask(): Record<string, unknown> {
  const t: Omit<Task, 'overdue'> = {
    id: randomUUID(),
    kind: 'callback',
    title: 'Call back',
    notes: 'About the bill',
    customerId: 7,
    phone: '+8613800138000',
    ticketId: 't-1',
    interactionId: 'i-1',
    dueAt: T + 3_600_000,
    remindAt: T + 3_000_000,
    remindedAt: T + 3_000_000,
    assignee: 'alice',
    status: 'open',
    createdBy: 'alice',
    createdAt: T,
    completedAt: T,
    version: 1,
  };
  return t as unknown as Record<string, unknown>;
}

function fullCustomer(): Record<string, unknown> {
  const n = ++codes;
  const c: Customer = {
    id: n,
    code: `POISON-${n}`,
    name: 'Zhang Wei',
    company: 'Acme',
    type: 'person',
    status: 'potential',
    level: 'gold',
    source: 'inbound-call',
    creditRating: 'AA',
    points: 10,
    ownerId: 'alice',
    tags: ['vip'],
    birthday: '1980-02-03',
    preferredLanguage: 'zh-CN',
    preferences: 'mornings',
    notes: 'likes tea',
    contactPermissions: { call: true, sms: true, email: true },
    lifetimeValue: 1000.5,
    lifecycleStage: 'growth',
    lastContactAt: T,
    serverVersion: null,
    revision: 1,
    createdAt: T,
    updatedAt: T,
    phones: [{ raw: '138 0013 8000', e164: '+8613800138000', extension: '12', label: 'mobile', primary: true }],
    emails: [{ address: 'zhang@example.com', label: 'work', primary: true }],
    addresses: [{ label: 'work', line1: '1 Road', line2: 'Floor 2', city: 'Shanghai', region: 'SH', postalCode: '200000', country: 'CN' }],
  };
  return c as unknown as Record<string, unknown>;
}

function fullStateEvent(): Record<string, unknown> {
  return { id: randomUUID(), agentId: 'alice', fromState: 'ready', fromReason: 'x', toState: 'not-ready', toReason: 'break', at: T, previousMs: 1000, callId: 'c-1', cause: 'manual' };
}

interface EntityCase {
  entity: string;
  make(): Record<string, unknown>;
  payload(record: Record<string, unknown>): Record<string, unknown>;
}

const ENTITIES: EntityCase[] = [
  { entity: 'interaction', make: fullInteraction, payload: (record) => ({ record }) },
  { entity: 'ticket', make: fullTicket, payload: (record) => ({ record, by: 'alice' }) },
  { entity: 'task', make: fullTask, payload: (record) => ({ record, changed: [] }) },
  { entity: 'customer', make: fullCustomer, payload: (record) => ({ record, changed: [], by: 'alice', serverId: null, codeGenerated: false }) },
  { entity: 'agent-state-event', make: fullStateEvent, payload: (record) => ({ record }) },
];

type Path = Array<string | number>;

/** Every string and number leaf (and every object key, as `{key}`) of a record. */
function leaves(value: unknown, path: Path = []): Array<{ path: Path; kind: 'text' | 'number' | 'key' }> {
  if (typeof value === 'string') return [{ path, kind: 'text' }];
  if (typeof value === 'number') return [{ path, kind: 'number' }];
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  const out: Array<{ path: Path; kind: 'text' | 'number' | 'key' }> = [];
  for (const [k, v] of Object.entries(value)) {
    if (path.length > 0 && (path[path.length - 1] === 'headers' || path[path.length - 1] === 'quality')) out.push({ path: [...path, k], kind: 'key' });
    out.push(...leaves(v, [...path, k]));
  }
  return out;
}

/** A deep copy of `record` with `value` at `path` (or, for `key`, the last key renamed to `value`). */
function poisoned(record: Record<string, unknown>, path: Path, value: unknown, key: boolean): Record<string, unknown> {
  const copy = structuredClone(record);
  let at: Record<string | number, unknown> = copy;
  for (const p of path.slice(0, -1)) at = at[p] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (key) {
    at[value as string] = at[last];
    delete at[last];
  } else {
    at[last] = value;
  }
  return copy;
}

/** Poison strings, and numbers written into the raw JSON (1e400 parses as Infinity on the server). */
const TEXT_POISON = ['nul\u0000inside', '\u0000', 'lone high \ud800', 'lone low \udc00 end', 'reversed \udc00\ud800'];
const NUMBER_POISON = ['1e308', '-1e308', '1e400', '-1e400', '1.5', '9223372036854775808', '-1'];
const RAW = '__RAW_NUMBER__';

async function pushRaw(token: string, body: unknown, rawNumber: string | null): Promise<{ status: number; body: PushResponse }> {
  let text = JSON.stringify(body);
  if (rawNumber !== null) text = text.replace(`"${RAW}"`, rawNumber);
  return call<PushResponse>(srv.url, 'POST', '/sync/push', { token, raw: text });
}

describe('poison values in pushed records', () => {
  it('rejects the one poisoned mutation in every text and number field of every entity, and applies the one queued behind it', async () => {
    const outcomes: string[] = [];
    let cases = 0;
    for (const ent of ENTITIES) {
      for (const leaf of leaves(ent.make())) {
        const values: Array<{ value: unknown; raw: string | null; shown: string }> =
          leaf.kind === 'number' ? NUMBER_POISON.map((n) => ({ value: RAW, raw: n, shown: n })) : TEXT_POISON.map((s) => ({ value: s, raw: null, shown: JSON.stringify(s) }));
        for (const v of values) {
          cases++;
          const base = ent.make();
          const record = poisoned(base, leaf.path, v.value, leaf.kind === 'key');
          const idPoisoned = leaf.path.length === 1 && leaf.path[0] === 'id';
          const box = new FakeOutbox();
          const entityId = idPoisoned && leaf.kind === 'text' ? (v.value as string) : String(base.id);
          box.add(ent.entity, entityId, 'create', null, ent.payload(record));
          const behind = interactionRecord({ agentId: 'alice' });
          box.add('interaction', behind.id, 'create', null, { record: behind });
          const res = await pushRaw(alice, box.batch(), v.raw);
          const where = `${ent.entity}.${leaf.path.join('.')}${leaf.kind === 'key' ? ' (key)' : ''} = ${v.shown}`;
          if (res.status !== 200) {
            outcomes.push(`${where}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
            continue;
          }
          const [first, second] = res.body.results;
          if (res.body.highWater !== 2) outcomes.push(`${where}: high-water ${res.body.highWater}`);
          if (second?.status !== 'applied') outcomes.push(`${where}: the mutation behind it was ${second?.status}`);
          // Text that cannot round-trip is never stored altered; dates out of range never stored.
          const mustReject = leaf.kind !== 'number' || isDatePath(ent.entity, leaf.path) || v.raw === '1e400' || v.raw === '-1e400';
          if (mustReject && (first?.status !== 'rejected' || first.reason !== 'invalid' || !first.message)) {
            outcomes.push(`${where}: ${first?.status} ${first?.reason ?? ''} ${first?.message ?? ''}`);
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(400);
    expect(outcomes).toEqual([]);
  });

  it('rejects a poisoned ticket, task and customer change (not only creates) and keeps the stored record as it was', async () => {
    const box = new FakeOutbox();
    const t = fullTicket();
    const c = fullCustomer();
    const k = fullTask();
    box.add('ticket', String(t.id), 'create', null, { record: t, by: 'alice' });
    box.add('customer', String(c.id), 'create', null, { record: c, changed: [], by: 'alice', serverId: null });
    box.add('task', String(k.id), 'create', null, { record: k, changed: [] });
    box.add('ticket', String(t.id), 'update', 1, { record: { ...t, subject: 'bad \u0000', version: 2 }, changed: ['subject'], by: 'alice' });
    box.add('customer', String(c.id), 'update', null, { record: { ...c, notes: 'bad \ud800' }, changed: ['notes'], by: 'alice', serverId: null });
    box.add('task', String(k.id), 'update', 1, { record: { ...k, dueAt: 1e308, version: 2 }, changed: ['dueAt'] });
    box.add('ticket', String(t.id), 'update', 1, { record: { ...t, subject: 'good', version: 2 }, changed: ['subject'], by: 'alice' });
    const res = await pushRaw(alice, box.batch(), null);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => [r.status, r.reason])).toEqual([
      ['applied', undefined],
      ['applied', undefined],
      ['applied', undefined],
      ['rejected', 'invalid'],
      ['rejected', 'invalid'],
      ['rejected', 'invalid'],
      ['applied', undefined],
    ]);
    expect(res.body.results[3]!.message).toContain('payload.record.subject contains a NUL character');
    expect(res.body.results[4]!.message).toContain('payload.record.notes contains an unpaired UTF-16 surrogate');
    expect(res.body.results[5]!.message).toContain('payload.record.dueAt is not a date');
    const got = await call(srv.url, 'GET', `/tickets/${String(t.id)}`, { token: alice });
    expect(got.body.ticket.subject).toBe('good');
  });
});

const DATE_PATHS: Record<string, string[]> = {
  interaction: ['occurredAt', 'answeredAt', 'endedAt', 'createdAt', 'holds.0.start', 'holds.0.end'],
  ticket: ['createdAt', 'updatedAt', 'dueAt', 'pendingSince', 'resolvedAt', 'closedAt'],
  task: ['dueAt', 'remindAt', 'remindedAt', 'createdAt', 'completedAt'],
  customer: ['lastContactAt', 'createdAt', 'updatedAt'],
  'agent-state-event': ['at'],
};

function isDatePath(entity: string, path: Path): boolean {
  return DATE_PATHS[entity]!.includes(path.join('.'));
}

describe('poison values at every other endpoint', () => {
  const NUL = '%00';
  it('answers 400, never 500, for NUL or broken text in sign-in, search, ticket ids, reports and admin endpoints', async () => {
    const answers: Array<[string, number]> = [];
    const check = async (what: string, p: Promise<{ status: number }>) => answers.push([what, (await p).status]);
    await check('login username', call(srv.url, 'POST', '/auth/login', { body: { username: 'ali\u0000ce', password: 'password-123' } }));
    await check('login password', call(srv.url, 'POST', '/auth/login', { body: { username: 'alice', password: 'pass\u0000word' } }));
    await check('login lone surrogate', call(srv.url, 'POST', '/auth/login', { body: { username: 'alice\ud800', password: 'password-123' } }));
    await check('refresh', call(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: `abcdefghij${'\u0000'}` } }));
    await check('logout', call(srv.url, 'POST', '/auth/logout', { body: { refreshToken: `abcdefghij${'\u0000'}` } }));
    await check('customers q', call(srv.url, 'GET', `/customers?q=a${NUL}b`, { token: alice }));
    await check('customers q only NUL', call(srv.url, 'GET', `/customers?q=${NUL}`, { token: alice }));
    await check('customer id', call(srv.url, 'GET', `/customers/1${NUL}`, { token: alice }));
    await check('ticket id', call(srv.url, 'GET', `/tickets/a${NUL}b`, { token: alice }));
    await check('tickets limit', call(srv.url, 'GET', `/tickets?limit=1${NUL}`, { token: alice }));
    await check('pull cursor', call(srv.url, 'GET', `/sync/pull?cursor=${NUL}`, { token: alice }));
    await check('report since', call(srv.url, 'GET', `/reports/agent-events?since=1e400`, { token: admin }));
    await check('report since NUL', call(srv.url, 'GET', `/reports/call-events?since=${NUL}`, { token: admin }));
    await check('push client id', call(srv.url, 'POST', '/sync/push', { token: alice, body: { clientId: 'c\u0000', mutations: [] } }));
    await check('admin create user', call(srv.url, 'POST', '/admin/users', { token: admin, body: { id: 'nul.user', displayName: 'N\u0000', password: 'password-123' } }));
    await check('admin create user surrogate', call(srv.url, 'POST', '/admin/users', { token: admin, body: { id: 'sur.user', displayName: 'S\udfff', password: 'password-123' } }));
    await check('admin update user', call(srv.url, 'PATCH', `/admin/users/alice${NUL}`, { token: admin, body: { displayName: 'x' } }));
    await check('admin update user body', call(srv.url, 'PATCH', '/admin/users/alice', { token: admin, body: { displayName: 'x\u0000' } }));
    await check('admin config key', call(srv.url, 'PUT', `/admin/config/a${NUL}`, { token: admin, body: { value: 1 } }));
    await check('admin config value', call(srv.url, 'PUT', '/admin/config/agent.notReadyReasons', { token: admin, body: { value: [{ code: 'break', label: 'x\u0000' }] } }));
    await check('admin import json', call(srv.url, 'POST', '/admin/customers/import', { token: admin, body: { csv: 'code,name\nN-1,Nul\u0000Name\n' } }));
    expect(answers.filter(([, s]) => s !== 400)).toEqual([]);
    // Nothing was stored.
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE id IN ('nul.user', 'sur.user')");
    expect(rows[0]!.n).toBe(0);
  });

  it('refuses a CSV file with a NUL byte as not a text file (400 with the reason), importing nothing', async () => {
    const csv = 'code,name,notes\nCSV-OK-1,Good One,fine\nCSV-BAD-1,Bad\u0000Name,x\n';
    const res = await call(srv.url, 'POST', '/admin/customers/import', { token: admin, raw: csv, contentType: 'text/csv' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/not a text/);
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM customers WHERE code LIKE 'CSV-%'");
    expect(rows[0]!.n).toBe(0);
  });
});
