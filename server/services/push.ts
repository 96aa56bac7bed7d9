import { z } from 'zod';
import { agentStateEventSchema } from '../../shared/agent/state';
import { customerCodeSchema, customerFieldsSchema, type Customer } from '../../shared/customer/schema';
import { customerPushPayloadSchema, type CustomerSyncField } from '../../shared/customer/sync';
import { slaDueAt, type SlaRule } from '../../shared/workflow/ticket';
import { interactionSchema } from '../../shared/workflow/interaction';
import { taskSchema } from '../../shared/workflow/task';
import type { MutationResult, PushRequest, PushResponse, RejectReason, SyncMutation } from '../../shared/sync/protocol';
import type { Db, Queryable } from '../db/db';
import type { Principal } from '../auth/tokens';
import type { Logger } from '../log';
import { stampChanges, Touched } from './changes';
import { unstorableMessage, unstorableValue } from './pushChecks';
import { claimClient, fingerprintOf, storedResults } from './syncClients';
import { cleanText } from '../../shared/sync/safeValues';
import { customerRowToRecord, type CustomerRow } from './customers';
import { sameEntries } from './insertOnlyReplay';
import type { ConfigService } from './configService';
import { Visibility } from './scope';
import { mergeTicket, rowToTicket, ticketPayloadSchema, type FieldVersions, type ServerTicket, type TicketRow } from './tickets';

/** Points inside a push where tests inject crashes (kill the process). */
export type PushFaultPoint = 'push:applied' | 'push:committed';

/** Options of the push service. */
export interface PushServiceOptions {
  db: Db;
  config: ConfigService;
  logger: Logger;
  now?: () => number;
  /** Called at fault points (tests only): may kill the process. */
  fault?: (point: PushFaultPoint) => void | Promise<void>;
}

const recordPayload = <T extends z.ZodType>(record: T) => z.object({ record }).passthrough();
const interactionPayloadSchema = recordPayload(interactionSchema);
const agentStatePayloadSchema = recordPayload(agentStateEventSchema);
const taskRecordSchema = taskSchema.omit({ overdue: true, remindedAt: true }).extend({ overdue: z.boolean().optional(), remindedAt: z.number().nullable().optional() });
const taskPayloadSchema = z.object({ record: taskRecordSchema, changed: z.array(z.string()).default([]) }).passthrough();

/** A mutation's outcome before it is stored. */
type Outcome = Omit<MutationResult, 'seq' | 'entity' | 'entityId'>;

const rejected = (reason: RejectReason, message: string): Outcome => ({ status: 'rejected', reason, message });

/** SQLSTATE classes that mean "this data cannot be stored" (22 data exception, 23 integrity). */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** Per-push working state. */
interface Run {
  tx: Queryable;
  principal: Principal;
  clientId: string;
  now: number;
  /** Per-mutation savepoints (after a data error in the fast path). */
  careful: boolean;
  touched: Touched;
  /** Desktop version -> server version the desktop knew, for changes made earlier in this batch. */
  known: Map<string, number>;
  /** Insert-only rows gathered for one multi-row INSERT (fast path). */
  interactions: Array<{ result: MutationResult; row: unknown[] }>;
  stateEvents: Array<{ result: MutationResult; row: unknown[] }>;
  /** Desktop (local) customer id -> server id, for customers created earlier in this batch. */
  customerIds: Map<string, number>;
  visibility(): Promise<Visibility>;
  slaRules(): Promise<SlaRule[]>;
}

/**
 * Applies desktop outbox batches exactly once.
 *
 * One push is one transaction. The client's row in `sync_clients` is locked first (a duplicate
 * delivery of the same batch waits, then finds it done). Mutations are taken in sequence order:
 * - seq <= high-water: already done; the stored result is answered again (`duplicate: true`);
 * - seq = high-water + 1: applied, its result stored in `sync_results`, high-water advanced;
 * - seq > high-water + 1: an earlier one is missing: answered `retry` (nothing stored).
 * The results and the new high-water are written in the same transaction as the changes, so a
 * crash anywhere before commit leaves nothing, and a crash after commit leaves everything: the
 * retry then gets the stored answers.
 *
 * Round trips are what a push costs, so the common path batches: insert-only entries go in one
 * multi-row INSERT, results and high-water in one statement, change ids and the notification in
 * one. When the database refuses some data (SQLSTATE class 22/23, e.g. a NUL byte) the whole
 * transaction is redone with a savepoint per mutation, so only the offending mutation is rejected.
 */
export class PushService {
  private readonly now: () => number;

  constructor(private readonly opts: PushServiceOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Applies one batch for `principal`. */
  async push(principal: Principal, req: PushRequest): Promise<{ response: PushResponse; latest: number }> {
    const byseq = new Map<number, SyncMutation>();
    for (const m of [...req.mutations].sort((a, b) => a.seq - b.seq)) if (!byseq.has(m.seq)) byseq.set(m.seq, m);
    const mutations = [...byseq.values()];
    let out: { response: PushResponse; latest: number };
    try {
      out = await this.opts.db.transaction((tx) => this.run(tx, principal, req.clientId, mutations, false));
    } catch (err) {
      if (!isDataError(err)) throw err;
      this.opts.logger.info('push redone with savepoints after a data error', { clientId: req.clientId, error: (err as Error).message });
      out = await this.opts.db.transaction((tx) => this.run(tx, principal, req.clientId, mutations, true));
    }
    await this.opts.fault?.('push:committed');
    return out;
  }

  private async run(tx: Queryable, principal: Principal, clientId: string, mutations: SyncMutation[], careful: boolean): Promise<{ response: PushResponse; latest: number }> {
    const now = this.now();
    const start = await claimClient(tx, clientId, principal, now);
    let hw = start;
    const stored = await storedResults(
      tx,
      clientId,
      mutations.filter((m) => m.seq <= start),
    );
    let vis: Promise<Visibility> | null = null;
    let sla: Promise<SlaRule[]> | null = null;
    const run: Run = {
      tx,
      principal,
      clientId,
      now,
      careful,
      touched: new Touched(),
      known: new Map(),
      interactions: [],
      stateEvents: [],
      customerIds: new Map(),
      visibility: () => (vis ??= this.opts.config.scopes(tx).then((s) => Visibility.of(principal, s, tx))),
      slaRules: () => (sla ??= this.opts.config.slaRules(tx)),
    };
    const results: MutationResult[] = [];
    const fresh: Array<{ m: SyncMutation; r: MutationResult; known: number | null }> = [];
    for (const m of mutations) {
      // An id the database cannot hold is answered (and remembered) cleaned; the mutation is refused below.
      const head = { seq: m.seq, entity: m.entity, entityId: cleanText(m.entityId) };
      if (m.seq <= start) {
        const prev = stored.get(m.seq);
        results.push(prev ? { ...prev, duplicate: true } : { ...head, status: 'rejected', reason: 'gap', message: 'This sequence number was acknowledged before without a stored result', duplicate: true });
        continue;
      }
      if (m.seq !== hw + 1) {
        results.push({ ...head, status: 'retry', reason: 'gap', message: `Sequence ${hw + 1} is missing: push again from there` });
        continue;
      }
      const r: MutationResult = { ...head, status: 'applied' };
      let known: number | null = null;
      const unstorable = unstorableValue(m);
      if (unstorable) {
        Object.assign(r, rejected('invalid', unstorableMessage(unstorable)));
      } else {
        if (careful) await tx.query('SAVEPOINT mutation');
        try {
          const o = await this.apply(run, m, r);
          known = o.known;
          Object.assign(r, o.outcome);
          if (careful) await tx.query('RELEASE SAVEPOINT mutation');
        } catch (err) {
          if (!careful || !isDataError(err)) throw err;
          await tx.query('ROLLBACK TO SAVEPOINT mutation');
          // The refused row must not be inserted again by the final flush.
          run.interactions.length = 0;
          run.stateEvents.length = 0;
          Object.assign(r, rejected('invalid', `The server could not store this change: ${(err as Error).message}`));
        }
      }
      results.push(r);
      fresh.push({ m, r, known });
      const cv = clientVersionOf(m);
      if (cv !== null && known !== null) run.known.set(`${m.entityId}|${cv}`, known);
      hw = m.seq;
    }
    await this.flushInserts(run);
    if (fresh.length > 0) {
      await tx.query(
        `WITH r AS (
           INSERT INTO sync_results (client_id, seq, entity, entity_id, client_version, server_version, known_version, result, applied_at, fingerprint)
           SELECT $1, s, e, i, cv, sv, kv, r, $7, fp FROM unnest($2::bigint[], $3::text[], $4::text[], $5::int[], $6::int[], $8::int[], $9::jsonb[], $12::text[]) AS t(s, e, i, cv, sv, kv, r, fp)
         )
         UPDATE sync_clients SET high_water = $10, last_user = $11, updated_at = $7 WHERE client_id = $1`,
        [
          clientId,
          fresh.map((f) => f.m.seq),
          fresh.map((f) => f.m.entity),
          fresh.map((f) => f.r.entityId),
          fresh.map((f) => clientVersionOf(f.m)),
          fresh.map((f) => f.r.version ?? null),
          now,
          fresh.map((f) => f.known),
          fresh.map((f) => JSON.stringify(f.r)),
          hw,
          principal.id,
          fresh.map((f) => fingerprintOf(f.m)),
        ],
      );
    }
    const latest = await stampChanges(tx, run.touched);
    await this.opts.fault?.('push:applied');
    return { response: { clientId, highWater: hw, results }, latest };
  }

  /** Applies one mutation; `known` is the server version the desktop knew (tickets, tasks). */
  private async apply(run: Run, m: SyncMutation, result: MutationResult): Promise<{ outcome: Outcome; known: number | null }> {
    switch (m.entity) {
      case 'interaction':
      case 'agent-state-event':
        return { outcome: await this.insertOnly(run, m, result), known: null };
      case 'ticket':
        return this.ticket(run, m);
      case 'task':
        return this.task(run, m);
      case 'customer':
        return { outcome: await this.customer(run, m), known: null };
    }
  }

  /**
   * Customers. A create inserts by code (an existing code is another customer: rejected `exists`,
   * never merged); an agent's new customer without an owner becomes theirs. An update finds the
   * customer by server id and applies only the `changed` fields over the current server record
   * (per-field last writer wins: a field the desktop did not change is never overwritten by its
   * stale copy). An update whose server id the desktop did not know yet resolves it from the
   * create earlier in this batch or in an earlier answer; failing that, it carries the whole
   * record and is stored as a create (a create refused for its code, then fixed).
   */
  private async customer(run: Run, m: SyncMutation): Promise<Outcome> {
    if (m.operation !== 'create' && m.operation !== 'update') return rejected('unsupported', `Customers do not support "${m.operation}"`);
    const parsed = customerPushPayloadSchema.safeParse(m.payload);
    if (!parsed.success) return rejected('invalid', describe(parsed.error));
    const { record, changed } = parsed.data;
    const fields = customerFieldsSchema.safeParse(record);
    if (!fields.success) return rejected('invalid', describe(fields.error));
    const code = customerCodeSchema.safeParse(record.code);
    if (!code.success) return rejected('invalid', `code: ${code.error.issues[0]?.message ?? 'is invalid'}`);
    if (record.phones.some((p) => p.e164 !== null && !/^\+[1-9]\d{4,15}$/.test(p.e164))) return rejected('invalid', 'phones: an E.164 key is malformed');
    const incoming: StoredCustomer = {
      ...fields.data,
      phones: fields.data.phones.map((p, i) => ({ raw: p.raw, e164: record.phones[i]?.e164 ?? null, extension: record.phones[i]?.extension ?? null, label: p.label, primary: p.primary })),
    };
    const serverId = m.operation === 'create' ? null : (parsed.data.serverId ?? run.customerIds.get(m.entityId) ?? (await this.createdCustomer(run, m.entityId)));
    if (serverId === null) return this.createCustomer(run, m, code.data, incoming, parsed.data.codeGenerated);
    return this.updateCustomer(run, serverId, code.data, incoming, changed);
  }

  private async createCustomer(run: Run, m: SyncMutation, code: string, incoming: StoredCustomer, codeGenerated: boolean): Promise<Outcome> {
    const agent = run.principal.role === 'agent';
    const owner = incoming.ownerId ?? (agent ? run.principal.id : null);
    if (!(await run.visibility()).customer(owner)) return rejected('forbidden', `A customer owned by ${owner ?? 'nobody'} would be outside your scope`);
    const rec = { ...incoming, ownerId: owner };
    const { rows } = await run.tx.query<CustomerRow>(
      `INSERT INTO customers (code, name, owner_id, record, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (code) DO NOTHING RETURNING *`,
      [code, rec.name, owner, JSON.stringify(rec), run.now],
    );
    let row = rows[0];
    if (!row && codeGenerated) {
      // Desktops generate codes independently; a generated one that is taken becomes `S` + the server id.
      const { rows: recoded } = await run.tx.query<CustomerRow>(
        `WITH n AS (SELECT nextval(pg_get_serial_sequence('customers', 'id')) AS id)
         INSERT INTO customers (id, code, name, owner_id, record, created_at, updated_at)
         SELECT n.id, 'S' || lpad(n.id::text, 8, '0'), $1, $2, $3, $4, $4 FROM n
         ON CONFLICT (code) DO NOTHING RETURNING *`,
        [rec.name, owner, JSON.stringify(rec), run.now],
      );
      row = recoded[0];
    }
    if (!row) return rejected('exists', `Customer code "${code}" is already used by another customer on the server; change the code and save again`);
    const id = Number(row.id);
    await this.writePhones(run, id, rec.phones, false);
    run.customerIds.set(m.entityId, id);
    run.touched.customers.add(id);
    const adjusted = [...(row.code !== code ? ['code'] : []), ...(owner !== incoming.ownerId ? ['ownerId'] : [])];
    return { status: 'applied', version: Number(row.version), record: customerRowToRecord(row), ...(adjusted.length > 0 ? { fields: adjusted } : {}) };
  }

  private async updateCustomer(run: Run, serverId: number, code: string, incoming: StoredCustomer, changed: CustomerSyncField[]): Promise<Outcome> {
    const { rows } = await run.tx.query<CustomerRow>('SELECT * FROM customers WHERE id = $1 FOR UPDATE', [serverId]);
    const row = rows[0];
    if (!row) return rejected('not-found', `No customer ${serverId} on the server`);
    const vis = await run.visibility();
    if (!vis.customer(row.owner_id)) return rejected('forbidden', 'This customer is outside your scope');
    const current = customerRowToRecord(row);
    const next: Customer = { ...current };
    const applied: CustomerSyncField[] = [];
    for (const f of changed) {
      const value = f === 'code' ? code : f === 'lastContactAt' ? maxOrNull(current.lastContactAt, incoming.lastContactAt) : incoming[f];
      if (JSON.stringify(value) === JSON.stringify(current[f])) continue;
      (next as Record<CustomerSyncField, unknown>)[f] = value;
      applied.push(f);
    }
    if (applied.length === 0) return { status: 'applied', version: current.serverVersion ?? Number(row.version), record: current };
    // Refusals of a visible customer carry its server record, so the desktop reverts its copy.
    const refuse = (reason: RejectReason, message: string): Outcome => ({ ...rejected(reason, message), version: Number(row.version), record: current });
    if (applied.includes('ownerId') && !vis.customer(next.ownerId)) {
      return refuse('forbidden', `Reassigning to ${next.ownerId ?? 'nobody'} would put this customer outside your scope`);
    }
    if (applied.includes('code')) {
      const { rows: taken } = await run.tx.query('SELECT 1 FROM customers WHERE code = $1 AND id <> $2', [next.code, serverId]);
      if (taken.length > 0) return refuse('exists', `Customer code "${next.code}" is already used by another customer on the server`);
    }
    const { id: _id, code: nextCode, serverVersion: _v, revision: _r, createdAt: _c, updatedAt: _u, ...stored } = next;
    const { rows: updated } = await run.tx.query<CustomerRow>(
      'UPDATE customers SET code = $2, name = $3, owner_id = $4, record = $5, version = version + 1, updated_at = $6 WHERE id = $1 RETURNING *',
      [serverId, nextCode, stored.name, stored.ownerId, JSON.stringify(stored), run.now],
    );
    if (applied.includes('phones')) await this.writePhones(run, serverId, stored.phones, true);
    run.touched.customers.add(serverId);
    const after = updated[0]!;
    return { status: 'applied', version: Number(after.version), record: customerRowToRecord(after) };
  }

  /** The server id of a desktop customer this client created before (its stored answer), or null. */
  private async createdCustomer(run: Run, entityId: string): Promise<number | null> {
    const { rows } = await run.tx.query<{ id: string | null }>(
      `SELECT result->'record'->>'id' AS id FROM sync_results
       WHERE client_id = $1 AND entity_id = $2 AND entity = 'customer' AND result->>'status' = 'applied' AND result->'record' ? 'id'
       ORDER BY seq DESC LIMIT 1`,
      [run.clientId, entityId],
    );
    const id = rows[0]?.id;
    return id === null || id === undefined ? null : Number(id);
  }

  /** The E.164 keys of a customer (phone lookups). */
  private async writePhones(run: Run, id: number, phones: StoredCustomer['phones'], replace: boolean): Promise<void> {
    if (replace) await run.tx.query('DELETE FROM customer_phones WHERE customer_id = $1', [id]);
    const keys = [...new Set(phones.map((p) => p.e164).filter((e): e is string => e !== null))];
    if (keys.length > 0) await run.tx.query('INSERT INTO customer_phones (customer_id, e164) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [id, keys]);
  }

  /** Interactions and agent state events: inserted once, never changed. */
  private async insertOnly(run: Run, m: SyncMutation, result: MutationResult): Promise<Outcome> {
    if (m.operation !== 'create') return rejected('insert-only', `${m.entity} entries are insert-only: "${m.operation}" is not allowed`);
    let row: unknown[];
    let queue: Run['interactions'];
    if (m.entity === 'interaction') {
      const parsed = interactionPayloadSchema.safeParse(m.payload);
      if (!parsed.success) return rejected('invalid', describe(parsed.error));
      const e = parsed.data.record;
      if (e.id !== m.entityId) return rejected('invalid', 'record.id differs from entityId');
      row = [e.id, e.rootId, e.kind, e.customerId, e.agentId, e.occurredAt, JSON.stringify(parsed.data)];
      queue = run.interactions;
    } else {
      const parsed = agentStatePayloadSchema.safeParse(m.payload);
      if (!parsed.success) return rejected('invalid', describe(parsed.error));
      const e = parsed.data.record;
      if (e.id !== m.entityId) return rejected('invalid', 'record.id differs from entityId');
      row = [e.id, e.agentId, e.toState, e.at, JSON.stringify(e)];
      queue = run.stateEvents;
    }
    queue.push({ result, row });
    if (run.careful) {
      // Careful mode inserts right away, inside this mutation's savepoint.
      await this.flushInserts(run);
      if (result.status === 'rejected') return rejected(result.reason ?? 'exists', result.message ?? 'Already exists');
    }
    return { status: 'applied', version: 1 };
  }

  /**
   * Inserts the gathered insert-only rows (one statement per table). An existing id holding the same
   * entry from the same user is an idempotent replay (an agent state event already sent on the
   * real-time channel, a re-sent outbox): `applied`. Another entry under that id answers `exists`.
   */
  private async flushInserts(run: Run): Promise<void> {
    const col = (rows: Array<{ row: unknown[] }>, i: number) => rows.map((r) => r.row[i]);
    const settle = async (queue: Run['interactions'], inserted: Set<string>, what: string, table: 'interactions' | 'agent_state_events') => {
      const recordAt = table === 'interactions' ? 6 : 4;
      // The first entry of each inserted id is the one that was inserted; every other one is
      // compared with what is stored.
      const others = queue.filter((q) => !inserted.delete(String(q.row[0])));
      const same = await sameEntries(run, table, others.map((q) => ({ id: String(q.row[0]), record: q.row[recordAt] as string })));
      for (const [i, q] of others.entries()) {
        const id = String(q.row[0]);
        if (same[i]) continue;
        Object.assign(q.result, rejected('exists', `${what} ${id} already exists (entries are never changed)`));
        delete q.result.version;
      }
      queue.length = 0;
    };
    if (run.interactions.length > 0) {
      const q = run.interactions;
      const { rows } = await run.tx.query<{ id: string }>(
        `INSERT INTO interactions (id, root_id, kind, customer_id, agent_id, occurred_at, record, pushed_by, received_at)
         SELECT id, root, kind, cust, agent, occ, rec, $8, $9
         FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::jsonb[]) AS t(id, root, kind, cust, agent, occ, rec)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [col(q, 0), col(q, 1), col(q, 2), col(q, 3), col(q, 4), col(q, 5), col(q, 6), run.principal.id, run.now],
      );
      await settle(q, new Set(rows.map((r) => r.id)), 'Interaction', 'interactions');
    }
    if (run.stateEvents.length > 0) {
      const q = run.stateEvents;
      const { rows } = await run.tx.query<{ id: string }>(
        `INSERT INTO agent_state_events (id, agent_id, to_state, at, record, pushed_by, received_at)
         SELECT id, agent, st, at, rec, $6, $7 FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::jsonb[]) AS t(id, agent, st, at, rec)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [col(q, 0), col(q, 1), col(q, 2), col(q, 3), col(q, 4), run.principal.id, run.now],
      );
      await settle(q, new Set(rows.map((r) => r.id)), 'State event', 'agent_state_events');
    }
  }

  private async ticket(run: Run, m: SyncMutation): Promise<{ outcome: Outcome; known: number | null }> {
    const parsed = ticketPayloadSchema.safeParse(m.payload);
    if (!parsed.success) return { outcome: rejected('invalid', describe(parsed.error)), known: null };
    const payload = parsed.data;
    if (payload.record.id !== m.entityId) return { outcome: rejected('invalid', 'record.id differs from entityId'), known: null };
    const { tx } = run;
    const by = run.principal.id;
    if (m.operation === 'create') {
      const w = payload.record;
      const t: ServerTicket = {
        ...w,
        status: 'new',
        version: 1,
        resolution: null,
        satisfaction: null,
        resolvedAt: null,
        closedAt: null,
        dueAt: slaDueAt(await run.slaRules(), w.type, w.priority, w.createdAt),
        pendingSince: null,
        createdBy: run.principal.role === 'agent' ? by : w.createdBy,
      };
      const { rows } = await tx.query<{ id: string }>(
        `WITH ins AS (
           INSERT INTO tickets (id, type, priority, status, category, subject, description, customer_id, assignee, created_by, created_at, updated_at,
                                due_at, interaction_ids, field_versions, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, '{}', 1)
           ON CONFLICT (id) DO NOTHING RETURNING id
         ), h AS (
           INSERT INTO ticket_history (ticket_id, at, by, client_id, seq, action, changes) SELECT id, $15, $16, $17, $18, 'created', $19 FROM ins
         )
         SELECT id FROM ins`,
        [
          t.id,
          t.type,
          t.priority,
          t.status,
          t.category,
          t.subject,
          t.description,
          t.customerId,
          t.assignee,
          t.createdBy,
          t.createdAt,
          t.updatedAt,
          t.dueAt,
          JSON.stringify(t.interactionIds),
          run.now,
          by,
          m.clientId,
          m.seq,
          JSON.stringify([{ field: 'status', from: null, to: 'new' }]),
        ],
      );
      if (rows.length === 0) {
        const existing = await this.loadTicket(tx, m, false);
        return { outcome: { status: 'conflict', message: 'A ticket with this id already exists', version: existing?.ticket.version ?? 0, record: existing?.ticket, fields: ['id'] }, known: null };
      }
      run.touched.tickets.add(t.id);
      if (t.assignee !== null) run.touched.assigned.add(t.id);
      const adjusted = (['status', 'dueAt', 'createdBy'] as const).filter((f) => !Object.is(t[f], w[f]));
      return { outcome: { status: 'applied', version: 1, record: t, ...(adjusted.length > 0 ? { fields: adjusted } : {}) }, known: 1 };
    }
    if (m.operation !== 'update' && m.operation !== 'link' && m.operation !== 'transition') return { outcome: rejected('unsupported', `Tickets do not support "${m.operation}"`), known: null };
    if (m.baseVersion === null) return { outcome: rejected('invalid', 'A ticket change needs its base version'), known: null };
    const loaded = await this.loadTicket(tx, m, true);
    if (!loaded) return { outcome: rejected('not-found', `No ticket ${m.entityId} on the server`), known: null };
    const current = loaded.ticket;
    if (!(await run.visibility()).ticket(current)) return { outcome: rejected('forbidden', 'This ticket is outside your scope'), known: null };
    const known = payload.knownVersion ?? run.known.get(`${m.entityId}|${m.baseVersion}`) ?? loaded.known ?? m.baseVersion;
    const merge = mergeTicket(current, loaded.fieldVersions, known, m.clientId, payload, await run.slaRules(), run.now);
    if (merge.illegal) {
      return {
        outcome: { status: 'rejected', reason: 'illegal-transition', message: `A ticket cannot go from ${current.status} to ${payload.record.status}`, version: current.version, record: current },
        known,
      };
    }
    if (merge.applied.length > 0) {
      const n = merge.next;
      const changes = merge.applied.map((f) => ({ field: f, from: current[f as keyof ServerTicket] ?? null, to: n[f as keyof ServerTicket] ?? null }));
      await tx.query(
        `WITH u AS (
           UPDATE tickets SET type = $2, priority = $3, status = $4, category = $5, subject = $6, description = $7, customer_id = $8, assignee = $9,
             updated_at = $10, due_at = $11, resolution = $12, satisfaction = $13, resolved_at = $14, closed_at = $15, interaction_ids = $16,
             field_versions = $17, version = $18, pending_since = $25
           WHERE id = $1
         )
         INSERT INTO ticket_history (ticket_id, at, by, client_id, seq, action, changes) VALUES ($1, $19, $20, $21, $22, $23, $24)`,
        [
          n.id,
          n.type,
          n.priority,
          n.status,
          n.category,
          n.subject,
          n.description,
          n.customerId,
          n.assignee,
          n.updatedAt,
          n.dueAt,
          n.resolution,
          n.satisfaction,
          n.resolvedAt,
          n.closedAt,
          JSON.stringify(n.interactionIds),
          JSON.stringify(merge.fieldVersions),
          n.version,
          run.now,
          by,
          m.clientId,
          m.seq,
          m.operation === 'transition' ? 'status' : m.operation === 'link' ? 'linked' : 'updated',
          JSON.stringify(changes),
          n.pendingSince,
        ],
      );
      run.touched.tickets.add(n.id);
      if (merge.applied.includes('assignee')) run.touched.assigned.add(n.id);
    }
    if (merge.lost.length > 0) {
      return { outcome: { status: 'conflict', version: merge.next.version, record: merge.next, fields: merge.lost, message: `Changed by someone else first: ${merge.lost.join(', ')}` }, known };
    }
    return { outcome: { status: 'applied', version: merge.next.version, record: merge.next }, known };
  }

  private async task(run: Run, m: SyncMutation): Promise<{ outcome: Outcome; known: number | null }> {
    const parsed = taskPayloadSchema.safeParse(m.payload);
    if (!parsed.success) return { outcome: rejected('invalid', describe(parsed.error)), known: null };
    const { overdue: _o, remindedAt: _r, ...rec } = parsed.data.record;
    if (rec.id !== m.entityId) return { outcome: rejected('invalid', 'record.id differs from entityId'), known: null };
    const { tx } = run;
    if (m.operation === 'create') {
      const t = { ...rec, version: 1 };
      const { rowCount } = await tx.query('INSERT INTO tasks (id, assignee, status, record, version) VALUES ($1, $2, $3, $4, 1) ON CONFLICT (id) DO NOTHING', [
        t.id,
        t.assignee,
        t.status,
        JSON.stringify(t),
      ]);
      if (rowCount === 0) {
        const { rows } = await tx.query<{ record: unknown; version: number }>('SELECT record, version FROM tasks WHERE id = $1', [t.id]);
        return { outcome: { status: 'conflict', message: 'A task with this id already exists', version: rows[0]?.version ?? 0, record: rows[0]?.record, fields: ['id'] }, known: null };
      }
      run.touched.tasks.add(t.id);
      return { outcome: { status: 'applied', version: 1, record: t }, known: 1 };
    }
    if (m.operation !== 'update' && m.operation !== 'complete') return { outcome: rejected('unsupported', `Tasks do not support "${m.operation}"`), known: null };
    const { rows } = await tx.query<{ record: z.infer<typeof taskRecordSchema>; version: number; known: number | null }>(
      `SELECT record, version, (SELECT known_version FROM sync_results WHERE client_id = $2 AND entity_id = $1 AND client_version = $3 ORDER BY seq DESC LIMIT 1) AS known
       FROM tasks WHERE id = $1 FOR UPDATE`,
      [m.entityId, m.clientId, m.baseVersion],
    );
    const row = rows[0];
    if (!row) return { outcome: rejected('not-found', `No task ${m.entityId} on the server`), known: null };
    if (!(await run.visibility()).task(row.record)) return { outcome: rejected('forbidden', 'This task is not yours'), known: null };
    const known = run.known.get(`${m.entityId}|${m.baseVersion}`) ?? row.known ?? m.baseVersion ?? 0;
    if (m.operation === 'complete' && row.record.status !== 'open') {
      return { outcome: { status: 'conflict', version: row.version, record: row.record, fields: ['status'], message: `The task is already ${row.record.status}` }, known };
    }
    if (m.operation === 'update' && row.version > known && !(await this.onlyOwnChanges(tx, m, known))) {
      return { outcome: { status: 'conflict', version: row.version, record: row.record, fields: parsed.data.changed, message: 'The task was changed by someone else first' }, known };
    }
    const next = { ...rec, version: row.version + 1 };
    await tx.query('UPDATE tasks SET assignee = $2, status = $3, record = $4, version = $5 WHERE id = $1', [next.id, next.assignee, next.status, JSON.stringify(next), next.version]);
    run.touched.tasks.add(next.id);
    return { outcome: { status: 'applied', version: next.version, record: next }, known };
  }

  /** True when every task change after `known` came from this client. */
  private async onlyOwnChanges(tx: Queryable, m: SyncMutation, known: number): Promise<boolean> {
    const { rows } = await tx.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM sync_results WHERE entity = 'task' AND entity_id = $1 AND client_id <> $2 AND server_version > $3",
      [m.entityId, m.clientId, known],
    );
    return rows[0]!.n === 0;
  }

  private async loadTicket(tx: Queryable, m: SyncMutation, lock: boolean): Promise<{ ticket: ServerTicket; fieldVersions: FieldVersions; known: number | null } | null> {
    const { rows } = await tx.query<TicketRow & { known: number | null }>(
      `SELECT t.*, (SELECT known_version FROM sync_results WHERE client_id = $2 AND entity_id = $1 AND client_version = $3 ORDER BY seq DESC LIMIT 1) AS known
       FROM tickets t WHERE t.id = $1${lock ? ' FOR UPDATE OF t' : ''}`,
      [m.entityId, m.clientId, m.baseVersion],
    );
    const r = rows[0];
    return r ? { ticket: rowToTicket(r), fieldVersions: r.field_versions, known: r.known === null ? null : Number(r.known) } : null;
  }
}

/** A customer's fields as the server stores them (`customers.record`), phones with their E.164 keys. */
type StoredCustomer = Omit<z.output<typeof customerFieldsSchema>, 'phones'> & { phones: Customer['phones'] };

function maxOrNull(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

/** The version a desktop's record has after its own change (what later changes name as base). */
function clientVersionOf(m: SyncMutation): number | null {
  const v = (m.payload as { record?: { version?: unknown } } | null)?.record?.version;
  // Stored in an INTEGER column: anything else (a poisoned 1e308) is not a version to remember.
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2_147_483_647 ? v : null;
}

function describe(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
    .join('; ');
}
