import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/createCore';
import type { Db } from '../../../server/db/db';
import { interactionAddSchema } from '../../../shared/interaction/interaction';
import { taskCreateSchema } from '../../../shared/task/task';
import { ticketCreateSchema } from '../../../shared/ticket/ticket';
import { AgentStateRepository } from '../../../electron/core/agent/agentStateRepository';
import { invoke, signIn as signInRig, startSyncRig, type SyncRig } from '../../helpers/syncRig';
import { until } from '../../helpers/wait';

// A desktop used offline first (demo customers, work under its SIP user "1001"), then signed in:
// whole desktop cores against the real server process on a real PostgreSQL.

let rig: SyncRig;
let db: Db;

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

const drained = (core: Core, what: string) => until(() => core.sync.state().outboxDepth === 0 && core.sync.state().connection === 'online', what, 60_000);
const myOpenTickets = (core: Core) => core.workflow.tickets.list({ view: 'my-open', limit: 100, offset: 0 }).items.map((t) => t.id);
const myOpenTasks = (core: Core) => core.workflow.tasks.list({ view: 'my-open', limit: 100 }).items.map((t) => t.id);

describe('first sign-in of a desktop that was used offline', () => {
  it('pushes the customers its work points to before that work, and makes the work the signed-in user\'s: links and "my" lists intact on both sides', async () => {
    const a = await rig.desktop();
    await invoke(a.core, 'settings:set', { key: 'agent.id', value: '1001' });
    // Demo data: loaded in bulk, never through the outbox.
    a.core.customers.service.createMany([
      { code: 'DEMO-1', name: 'Demo Customer One', phones: [{ raw: '+86 138 0013 9001' }] },
      { code: 'DEMO-2', name: 'Demo Customer Two', phones: [{ raw: '+86 138 0013 9002' }] },
    ]);
    const demo1 = a.core.customers.service.findByCode('DEMO-1')!;
    const demo2 = a.core.customers.service.findByCode('DEMO-2')!;
    // A customer the agent made (through the outbox) and work for all of them, offline.
    const own = a.core.customers.service.save({ code: 'OWN-1', name: 'Own Customer' });
    const ticket = a.core.workflow.tickets.create(ticketCreateSchema.parse({ type: 'complaint', subject: 'Broken since Monday', customerId: demo1.id }));
    const ownTicket = a.core.workflow.tickets.create(ticketCreateSchema.parse({ type: 'inquiry', subject: 'Price list', customerId: own.id }));
    const note = a.core.workflow.interactions.addManual(interactionAddSchema.parse({ kind: 'note', customerId: demo2.id, notes: 'Asked for a call back' }));
    const task = a.core.workflow.tasks.create(taskCreateSchema.parse({ kind: 'callback', title: 'Call back', customerId: demo2.id, phone: '+8613800139002', dueAt: Date.now() + 3_600_000 }));
    expect(ticket).toMatchObject({ assignee: '1001', createdBy: '1001' });
    expect(myOpenTickets(a.core)).toEqual(expect.arrayContaining([ticket.id, ownTicket.id]));

    await signInRig(rig, a.core, 'alice');
    await drained(a.core, 'A pushed everything made offline');

    // Server: every customer exists, and everything points to it, as alice's.
    const serverIdOf = async (code: string) => Number((await db.query<{ id: string }>('SELECT id FROM customers WHERE code = $1', [code])).rows[0]?.id);
    const s1 = await serverIdOf('DEMO-1');
    const s2 = await serverIdOf('DEMO-2');
    const sOwn = await serverIdOf('OWN-1');
    expect([s1, s2, sOwn].every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    const tickets = (await db.query<{ id: string; customer_id: string | null; assignee: string; created_by: string }>('SELECT id, customer_id, assignee, created_by FROM tickets WHERE id = ANY($1::text[])', [[ticket.id, ownTicket.id]])).rows;
    expect(Object.fromEntries(tickets.map((t) => [t.id, [Number(t.customer_id), t.assignee, t.created_by]]))).toEqual({
      [ticket.id]: [s1, 'alice', 'alice'],
      [ownTicket.id]: [sOwn, 'alice', 'alice'],
    });
    const interactions = (await db.query<{ customer_id: string | null; agent_id: string }>('SELECT customer_id, agent_id FROM interactions WHERE id = $1', [note.id])).rows;
    // Never pushed before sign-in, so adopted as alice's (the server only ever sees one identity), with its customer.
    expect(interactions.map((i) => [Number(i.customer_id), i.agent_id])).toEqual([[s2, 'alice']]);
    const tasks = (await db.query<{ assignee: string; record: { customerId: number | null } }>('SELECT assignee, record FROM tasks WHERE id = $1', [task.id])).rows;
    expect(tasks.map((t) => [t.assignee, t.record.customerId])).toEqual([['alice', s2]]);
    // Nothing was refused along the way.
    const rejected = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM sync_results WHERE result->>'status' = 'rejected'")).rows[0]!.n;
    expect(rejected).toBe(0);

    // Desktop A: links kept, the work is in alice's lists.
    expect(a.core.workflow.tickets.get(ticket.id).ticket).toMatchObject({ customerId: demo1.id, assignee: 'alice' });
    expect(a.core.workflow.tickets.get(ownTicket.id).ticket).toMatchObject({ customerId: own.id, assignee: 'alice' });
    expect(a.core.customers.service.serverIdOf(demo1.id)).toBe(s1);
    expect(myOpenTickets(a.core)).toEqual(expect.arrayContaining([ticket.id, ownTicket.id]));
    expect(myOpenTasks(a.core)).toContain(task.id);

    // Another desktop of alice's: the same links to its own copies of the customers, the same lists.
    const b = await rig.desktop();
    await signInRig(rig, b.core, 'alice');
    await until(() => myOpenTickets(b.core).includes(ticket.id) && myOpenTickets(b.core).includes(ownTicket.id) && myOpenTasks(b.core).includes(task.id), 'B has alice\'s work', 60_000);
    const onB = b.core.customers.service.localIdOf(s1);
    expect(onB).not.toBeNull();
    expect(b.core.workflow.tickets.get(ticket.id).ticket.customerId).toBe(onB);
    expect(b.core.customers.service.get(onB!).name).toBe('Demo Customer One');
  }, 180_000);

  it('adopts calls, notes and agent states made before sign-in as the user\'s, and a record made after sign-in for a never-pushed customer takes that customer with it', async () => {
    const a = await rig.desktop();
    await invoke(a.core, 'settings:set', { key: 'agent.id', value: '1001' });
    a.core.customers.service.createMany([
      { code: 'SEAM-1', name: 'Seam Customer One', phones: [{ raw: '+86 138 0013 9101' }] },
      { code: 'SEAM-2', name: 'Seam Customer Two', phones: [{ raw: '+86 138 0013 9102' }] },
      { code: 'SEAM-3', name: 'Seam Customer Three', phones: [{ raw: '+86 138 0013 9103' }] },
    ]);
    const [c1, c2, c3] = ['SEAM-1', 'SEAM-2', 'SEAM-3'].map((code) => a.core.customers.service.findByCode(code)!);
    // Offline, under the local agent id.
    const before = a.core.workflow.tickets.create(ticketCreateSchema.parse({ type: 'complaint', subject: 'Offline ticket', customerId: c1!.id }));
    const offlineNote = a.core.workflow.interactions.addManual(interactionAddSchema.parse({ kind: 'note', customerId: c1!.id, notes: 'Offline note' }));
    await invoke(a.core, 'agent:set-state', { state: 'ready' });
    await invoke(a.core, 'agent:set-state', { state: 'not-ready', reason: 'lunch' });
    const states = new AgentStateRepository(a.core.db);
    const offlineStates = states.list('1001', 0).map((e) => e.id);
    expect(offlineStates.length).toBeGreaterThanOrEqual(2);

    await signInRig(rig, a.core, 'alice');
    await drained(a.core, 'A pushed everything made offline');

    // After sign-in: work for customers the server was never given (SEAM-2 and SEAM-3 were not referenced before).
    const after = a.core.workflow.tickets.create(ticketCreateSchema.parse({ type: 'inquiry', subject: 'After sign-in', customerId: c2!.id }));
    const afterNote = a.core.workflow.interactions.addManual(interactionAddSchema.parse({ kind: 'note', customerId: c3!.id, notes: 'After sign-in note' }));
    await invoke(a.core, 'agent:set-state', { state: 'ready' });
    await drained(a.core, 'A pushed what was made after sign-in');

    const serverIdOf = async (code: string) => Number((await db.query<{ id: string }>('SELECT id FROM customers WHERE code = $1', [code])).rows[0]?.id);
    const [s1, s2, s3] = [await serverIdOf('SEAM-1'), await serverIdOf('SEAM-2'), await serverIdOf('SEAM-3')];
    expect([s1, s2, s3].every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    // Server: every record has its customer and is alice's.
    const tickets = (await db.query<{ id: string; customer_id: string | null; assignee: string }>('SELECT id, customer_id, assignee FROM tickets WHERE id = ANY($1::text[])', [[before.id, after.id]])).rows;
    expect(Object.fromEntries(tickets.map((t) => [t.id, [Number(t.customer_id), t.assignee]]))).toEqual({ [before.id]: [s1, 'alice'], [after.id]: [s2, 'alice'] });
    const notes = (await db.query<{ id: string; customer_id: string | null; agent_id: string }>('SELECT id, customer_id, agent_id FROM interactions WHERE id = ANY($1::text[])', [[offlineNote.id, afterNote.id]])).rows;
    expect(Object.fromEntries(notes.map((i) => [i.id, [Number(i.customer_id), i.agent_id]]))).toEqual({ [offlineNote.id]: [s1, 'alice'], [afterNote.id]: [s3, 'alice'] });
    const serverStates = (await db.query<{ id: string; agent_id: string }>('SELECT id, agent_id FROM agent_state_events WHERE id = ANY($1::text[])', [offlineStates])).rows;
    expect(serverStates.map((e) => e.agent_id)).toEqual(offlineStates.map(() => 'alice'));
    expect((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM agent_state_events WHERE agent_id = '1001'")).rows[0]!.n).toBe(0);
    const rejected = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM sync_results WHERE result->>'status' = 'rejected'")).rows[0]!.n;
    expect(rejected).toBe(0);

    // Desktop: links kept, "my" lists whole (tickets, and the day's agent states under alice).
    expect(a.core.workflow.tickets.get(after.id).ticket).toMatchObject({ customerId: c2!.id, assignee: 'alice' });
    expect(a.core.customers.service.serverIdOf(c2!.id)).toBe(s2);
    expect(a.core.customers.service.serverIdOf(c3!.id)).toBe(s3);
    expect(myOpenTickets(a.core)).toEqual(expect.arrayContaining([before.id, after.id]));
    expect(states.list('alice', 0).map((e) => e.id)).toEqual(expect.arrayContaining(offlineStates));
    expect(states.list('1001', 0)).toEqual([]);
    const localNotes = a.core.workflow.interactions.list(c1!.id, 10).items.filter((i) => i.id === offlineNote.id);
    expect(localNotes.map((i) => i.agentId)).toEqual(['alice']);
  }, 180_000);
});
