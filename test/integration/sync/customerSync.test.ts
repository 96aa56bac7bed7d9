import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/createCore';
import type { Db } from '../../../server/db/db';
import type { Customer } from '../../../shared/customer/schema';
import { signIn as signInRig, startSyncRig, type SyncRig } from '../../helpers/syncRig';
import { until } from '../../helpers/wait';

// Customer changes made on desktops reach the server through the outbox and the other desktops
// through pull, each with its own local ids: whole desktop cores against a real server process on
// a real PostgreSQL.

let rig: SyncRig;
let db: Db;

/** A desktop core (closed after each test). */
const desktop = async (): Promise<Core> => (await rig.desktop()).core;
const signIn = (core: Core, username: string) => signInRig(rig, core, username);

/** Waits until the desktop's outbox is drained (every local change acknowledged by the server). */
const drained = (core: Core, what: string) => until(() => core.sync.state().outboxDepth === 0 && core.sync.state().connection === 'online', what);

const customerOn = (core: Core, code: string): Customer | null => core.customers.service.findByCode(code);

async function serverCustomers(code: string) {
  return (await db.query<{ id: string; name: string; owner_id: string | null; record: Record<string, unknown>; version: number }>('SELECT * FROM customers WHERE code = $1', [code])).rows;
}

beforeAll(async () => {
  rig = await startSyncRig();
  db = rig.db;
});

afterEach(async () => {
  await rig.closeDesktops();
});

afterAll(async () => {
  await rig?.stop();
});

describe('customer sync between desktops', () => {
  it('A creates and edits a customer; B (same team) pulls it with its own local id; edits of different fields on A and B merge', async () => {
    const a = await desktop();
    const b = await desktop();
    // B has customers of its own first, so local ids differ between the desktops.
    b.customers.service.save({ code: 'B-OWN-1', name: 'Bob Local One' });
    b.customers.service.save({ code: 'B-OWN-2', name: 'Bob Local Two' });
    await signIn(a, 'alice');

    const made = a.customers.service.save({ code: 'ACME-1', name: "Acme O'Buyer; DROP TABLE customers;--", company: 'Acme', phones: [{ raw: '138 0013 8000' }] });
    const edited = a.customers.service.save({ ...made, id: made.id, revision: made.revision, phones: [{ raw: '138 0013 8000' }], status: 'intent' });
    expect(edited.status).toBe('intent');
    await drained(a, 'A pushed the create and the edit');
    const onServer = await serverCustomers('ACME-1');
    expect(onServer).toHaveLength(1);
    expect(onServer[0]).toMatchObject({ name: "Acme O'Buyer; DROP TABLE customers;--", owner_id: 'alice', version: 2 });
    expect(onServer[0]!.record).toMatchObject({ status: 'intent', company: 'Acme' });
    const serverId = Number(onServer[0]!.id);
    expect(a.customers.service.serverIdOf(made.id)).toBe(serverId);
    // The server made the agent the owner; A adopted that without a new outbox entry.
    await until(() => customerOn(a, 'ACME-1')?.ownerId === 'alice', 'A adopted the owner');
    expect(a.sync.state().outboxDepth).toBe(0);

    await signIn(b, 'bob');
    await drained(b, 'B pushed its own customers');
    await until(() => customerOn(b, 'ACME-1')?.status === 'intent', 'B pulled the customer');
    const onB = customerOn(b, 'ACME-1')!;
    expect(onB.id).not.toBe(made.id);
    expect(b.customers.service.serverIdOf(onB.id)).toBe(serverId);
    expect(onB).toMatchObject({ name: "Acme O'Buyer; DROP TABLE customers;--", company: 'Acme', ownerId: 'alice', serverVersion: 2 });
    expect(b.sync.state().outboxDepth).toBe(0);

    // A changes the company, B the notes, each on the copy it has: both fields survive everywhere.
    const onA = customerOn(a, 'ACME-1')!;
    a.customers.service.save({ ...onA, revision: onA.revision, phones: [{ raw: '138 0013 8000' }], company: 'Acme Global' });
    b.customers.service.save({ ...onB, revision: onB.revision, phones: [{ raw: '138 0013 8000' }], notes: 'Prefers calls after 6pm' });
    await until(() => {
      const x = customerOn(a, 'ACME-1');
      const y = customerOn(b, 'ACME-1');
      return x?.company === 'Acme Global' && x.notes === 'Prefers calls after 6pm' && y?.company === 'Acme Global' && y.notes === 'Prefers calls after 6pm';
    }, 'both desktops converge on both edits', 30_000);
    expect((await serverCustomers('ACME-1'))[0]!.record).toMatchObject({ company: 'Acme Global', notes: 'Prefers calls after 6pm' });

    // A reassignment on A reaches B.
    a.customers.service.reassign({ id: made.id, ownerId: 'bob', changedBy: 'alice', reason: 'holiday' });
    await until(() => customerOn(b, 'ACME-1')?.ownerId === 'bob', 'B sees the new owner');
    expect((await serverCustomers('ACME-1'))[0]).toMatchObject({ owner_id: 'bob' });
    await drained(b, 'B idle');
    expect(customerOn(b, 'ACME-1')!.id).toBe(onB.id);
  });

  it('never merges two different customers that got the same code on two desktops', async () => {
    const a = await desktop();
    const b = await desktop();
    // Made before signing in: generated codes collide (each desktop numbers its own), and a typed one too.
    const genA = a.customers.service.save({ name: 'Generated On A' });
    const genB = b.customers.service.save({ name: 'Generated On B' });
    expect(genA.code).toBe(genB.code);
    a.customers.service.save({ code: 'DUP-1', name: 'Typed On A' });
    b.customers.service.save({ code: 'DUP-1', name: 'Typed On B' });

    await signIn(a, 'alice');
    await drained(a, 'A pushed');
    await signIn(b, 'bob');
    await drained(b, 'B pushed');

    // The generated code: B's customer got a server code, and each desktop has both customers.
    const genOnServer = await db.query<{ code: string; name: string }>("SELECT code, name FROM customers WHERE name LIKE 'Generated On %' ORDER BY name");
    expect(genOnServer.rows.map((r) => r.name)).toEqual(['Generated On A', 'Generated On B']);
    const bCode = genOnServer.rows[1]!.code;
    expect(bCode).toMatch(/^S\d{8}$/);
    await until(() => b.customers.service.get(genB.id).code === bCode, 'B adopted the server code');
    await until(() => customerOn(b, genA.code)?.name === 'Generated On A', "B has A's generated customer");
    await until(() => customerOn(a, bCode)?.name === 'Generated On B', "A has B's generated customer");
    expect(a.customers.service.get(genA.id)).toMatchObject({ code: genA.code, name: 'Generated On A' });

    // The typed code: the server keeps A's, refuses B's; B keeps its own customer untouched.
    expect((await serverCustomers('DUP-1')).map((r) => r.name)).toEqual(['Typed On A']);
    expect(customerOn(b, 'DUP-1')).toMatchObject({ name: 'Typed On B' });
    expect(b.customers.service.serverIdOf(customerOn(b, 'DUP-1')!.id)).toBeNull();

    // B's agent renames the code: the customer reaches the server and A's DUP-1 lands on B.
    const typedB = customerOn(b, 'DUP-1')!;
    b.customers.service.save({ ...typedB, revision: typedB.revision, phones: [], code: 'DUP-1-B' });
    await until(() => customerOn(b, 'DUP-1')?.name === 'Typed On A', "A's DUP-1 on B after the rename");
    // A pull can land A's DUP-1 before the rename's push is answered: the server has it once B drained.
    await drained(b, 'B pushed the rename');
    expect((await serverCustomers('DUP-1-B')).map((r) => r.name)).toEqual(['Typed On B']);
    expect(customerOn(b, 'DUP-1-B')!.id).toBe(typedB.id);
    await until(() => customerOn(a, 'DUP-1-B')?.name === 'Typed On B', "B's customer on A");
  });
});
