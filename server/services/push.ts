import { z } from 'zod';
import { agentStateEventSchema } from '../../shared/agent/state';
import { slaDueAt } from '../../shared/workflow/ticket';
import { interactionSchema } from '../../shared/workflow/interaction';
import { taskSchema } from '../../shared/workflow/task';
import type { MutationResult, PushRequest, PushResponse, RejectReason, SyncMutation } from '../../shared/sync/protocol';
import type { Db, Queryable } from '../db/db';
import type { Principal } from '../auth/tokens';
import type { Logger } from '../log';
import { stampChanges, Touched } from './changes';
import type { ConfigService } from './configService';
import { Visibility } from './scope';
import { mergeTicket, rowToTicket, ticketPayloadSchema, type ServerTicket, type TicketRow } from './tickets';

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
 * retry then gets the stored answers. Each mutation runs in a savepoint, so data the database
 * refuses rejects that mutation only.
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
    const out = await this.opts.db.transaction(async (tx) => {
      const now = this.now();
      await tx.query('INSERT INTO sync_clients (client_id, high_water, last_user, updated_at) VALUES ($1, 0, $2, $3) ON CONFLICT (client_id) DO NOTHING', [req.clientId, principal.id, now]);
      const { rows } = await tx.query<{ high_water: number }>('SELECT high_water FROM sync_clients WHERE client_id = $1 FOR UPDATE', [req.clientId]);
      const start = Number(rows[0]?.high_water ?? 0);
      let hw = start;
      const done = mutations.filter((m) => m.seq <= start).map((m) => m.seq);
      const stored = new Map<number, MutationResult>();
      if (done.length > 0) {
        const { rows: prev } = await tx.query<{ seq: number; result: MutationResult }>('SELECT seq, result FROM sync_results WHERE client_id = $1 AND seq = ANY($2::bigint[])', [
          req.clientId,
          done,
        ]);
        for (const r of prev) stored.set(Number(r.seq), r.result);
      }
      const visibility = await Visibility.of(principal, await this.opts.config.scopes(tx), tx);
      const slaRules = await this.opts.config.slaRules(tx);
      const touched = new Touched();
      const results: MutationResult[] = [];
      const fresh: Array<{ m: SyncMutation; r: MutationResult; clientVersion: number | null }> = [];
      for (const m of mutations) {
        const head = { seq: m.seq, entity: m.entity, entityId: m.entityId };
        if (m.seq <= start) {
          const prev = stored.get(m.seq);
          results.push(prev ? { ...prev, duplicate: true } : { ...head, status: 'rejected', reason: 'gap', message: 'This sequence number was acknowledged before without a stored result', duplicate: true });
          continue;
        }
        if (m.seq !== hw + 1) {
          results.push({ ...head, status: 'retry', reason: 'gap', message: `Sequence ${hw + 1} is missing: push again from there` });
          continue;
        }
        await tx.query('SAVEPOINT mutation');
        let outcome: Outcome;
        try {
          outcome = await this.apply(tx, principal, visibility, m, touched, slaRules, now);
          await tx.query('RELEASE SAVEPOINT mutation');
        } catch (err) {
          if (!isDataError(err)) throw err;
          await tx.query('ROLLBACK TO SAVEPOINT mutation');
          outcome = rejected('invalid', `The server could not store this change: ${(err as Error).message}`);
        }
        const r: MutationResult = { ...head, ...outcome };
        results.push(r);
        fresh.push({ m, r, clientVersion: clientVersionOf(m) });
        hw = m.seq;
      }
      if (fresh.length > 0) {
        await tx.query(
          `INSERT INTO sync_results (client_id, seq, entity, entity_id, client_version, server_version, result, applied_at)
           SELECT $1, s, e, i, cv, sv, r, $7 FROM unnest($2::bigint[], $3::text[], $4::text[], $5::int[], $6::int[], $8::jsonb[]) AS t(s, e, i, cv, sv, r)`,
          [
            req.clientId,
            fresh.map((f) => f.m.seq),
            fresh.map((f) => f.m.entity),
            fresh.map((f) => f.m.entityId),
            fresh.map((f) => f.clientVersion),
            fresh.map((f) => f.r.version ?? null),
            now,
            fresh.map((f) => JSON.stringify(f.r)),
          ],
        );
        await tx.query('UPDATE sync_clients SET high_water = $2, last_user = $3, updated_at = $4 WHERE client_id = $1', [req.clientId, hw, principal.id, now]);
      }
      const latest = await stampChanges(tx, touched);
      await this.opts.fault?.('push:applied');
      return { response: { clientId: req.clientId, highWater: hw, results }, latest };
    });
    await this.opts.fault?.('push:committed');
    return out;
  }

  private async apply(tx: Queryable, p: Principal, vis: Visibility, m: SyncMutation, touched: Touched, slaRules: Awaited<ReturnType<ConfigService['slaRules']>>, now: number): Promise<Outcome> {
    switch (m.entity) {
      case 'interaction':
        return this.insertOnly(tx, p, m, now, 'interaction');
      case 'agent-state-event':
        return this.insertOnly(tx, p, m, now, 'agent-state-event');
      case 'ticket':
        return this.ticket(tx, vis, m, touched, slaRules, now);
      case 'task':
        return this.task(tx, vis, m, touched);
    }
  }

  /** Interactions and agent state events: inserted once, never changed. */
  private async insertOnly(tx: Queryable, p: Principal, m: SyncMutation, now: number, kind: 'interaction' | 'agent-state-event'): Promise<Outcome> {
    if (m.operation !== 'create') return rejected('insert-only', `${kind} entries are insert-only: "${m.operation}" is not allowed`);
    if (kind === 'interaction') {
      const parsed = interactionPayloadSchema.safeParse(m.payload);
      if (!parsed.success) return rejected('invalid', describe(parsed.error));
      const e = parsed.data.record;
      if (e.id !== m.entityId) return rejected('invalid', 'record.id differs from entityId');
      const { rowCount } = await tx.query(
        `INSERT INTO interactions (id, root_id, kind, customer_id, agent_id, occurred_at, record, pushed_by, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
        [e.id, e.rootId, e.kind, e.customerId, e.agentId, e.occurredAt, JSON.stringify(parsed.data), p.id, now],
      );
      return rowCount === 1 ? { status: 'applied', version: 1 } : rejected('exists', `Interaction ${e.id} already exists (entries are never changed)`);
    }
    const parsed = agentStatePayloadSchema.safeParse(m.payload);
    if (!parsed.success) return rejected('invalid', describe(parsed.error));
    const e = parsed.data.record;
    if (e.id !== m.entityId) return rejected('invalid', 'record.id differs from entityId');
    const { rowCount } = await tx.query(
      `INSERT INTO agent_state_events (id, agent_id, to_state, at, record, pushed_by, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [e.id, e.agentId, e.toState, e.at, JSON.stringify(e), p.id, now],
    );
    return rowCount === 1 ? { status: 'applied', version: 1 } : rejected('exists', `State event ${e.id} already exists`);
  }

  private async ticket(tx: Queryable, vis: Visibility, m: SyncMutation, touched: Touched, slaRules: Awaited<ReturnType<ConfigService['slaRules']>>, now: number): Promise<Outcome> {
    const parsed = ticketPayloadSchema.safeParse(m.payload);
    if (!parsed.success) return rejected('invalid', describe(parsed.error));
    const payload = parsed.data;
    if (payload.record.id !== m.entityId) return rejected('invalid', 'record.id differs from entityId');
    const by = vis.principal.id;
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
        dueAt: slaDueAt(slaRules, w.type, w.priority, w.createdAt),
        createdBy: vis.seesAll ? w.createdBy : by,
      };
      const { rows } = await tx.query<TicketRow>(
        `INSERT INTO tickets (id, type, priority, status, category, subject, description, customer_id, assignee, created_by, created_at, updated_at,
                              due_at, resolution, satisfaction, resolved_at, closed_at, interaction_ids, field_versions, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, NULL, NULL, NULL, $14, '{}', 1)
         ON CONFLICT (id) DO NOTHING RETURNING *`,
        [t.id, t.type, t.priority, t.status, t.category, t.subject, t.description, t.customerId, t.assignee, t.createdBy, t.createdAt, t.updatedAt, t.dueAt, JSON.stringify(t.interactionIds)],
      );
      if (rows.length === 0) {
        const existing = await this.loadTicket(tx, m.entityId, false);
        return { status: 'conflict', message: 'A ticket with this id already exists', version: existing?.ticket.version ?? 0, record: existing?.ticket, fields: ['id'] };
      }
      await this.history(tx, t.id, now, by, m, 'created', [{ field: 'status', from: null, to: 'new' }]);
      touched.tickets.add(t.id);
      if (t.assignee !== null) touched.assigned.add(t.id);
      const adjusted = (['status', 'dueAt', 'createdBy'] as const).filter((f) => !Object.is(t[f], w[f]));
      return { status: 'applied', version: 1, record: t, ...(adjusted.length > 0 ? { fields: adjusted } : {}) };
    }
    if (m.operation !== 'update' && m.operation !== 'link' && m.operation !== 'transition') return rejected('unsupported', `Tickets do not support "${m.operation}"`);
    if (m.baseVersion === null) return rejected('invalid', 'A ticket change needs its base version');
    const loaded = await this.loadTicket(tx, m.entityId, true);
    if (!loaded) return rejected('not-found', `No ticket ${m.entityId} on the server`);
    const current = loaded.ticket;
    if (!vis.ticket(current)) return rejected('forbidden', 'This ticket is outside your scope');
    const base = await this.serverBase(tx, m);
    const merge = mergeTicket(current, loaded.fieldVersions, base, payload, slaRules, now);
    if (merge.illegal) {
      return { status: 'rejected', reason: 'illegal-transition', message: `A ticket cannot go from ${current.status} to ${payload.record.status}`, version: current.version, record: current };
    }
    if (merge.applied.length > 0) {
      const n = merge.next;
      await tx.query(
        `UPDATE tickets SET type = $2, priority = $3, status = $4, category = $5, subject = $6, description = $7, customer_id = $8, assignee = $9,
           updated_at = $10, due_at = $11, resolution = $12, satisfaction = $13, resolved_at = $14, closed_at = $15, interaction_ids = $16,
           field_versions = $17, version = $18
         WHERE id = $1`,
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
        ],
      );
      const changes = merge.applied.map((f) => ({ field: f, from: current[f as keyof ServerTicket] ?? null, to: n[f as keyof ServerTicket] ?? null }));
      await this.history(tx, n.id, now, by, m, m.operation === 'transition' ? 'status' : m.operation === 'link' ? 'linked' : 'updated', changes);
      touched.tickets.add(n.id);
      if (merge.applied.includes('assignee')) touched.assigned.add(n.id);
    }
    if (merge.lost.length > 0) {
      return { status: 'conflict', version: merge.next.version, record: merge.next, fields: merge.lost, message: `Changed by someone else first: ${merge.lost.join(', ')}` };
    }
    return { status: 'applied', version: merge.next.version, record: merge.next };
  }

  private async task(tx: Queryable, vis: Visibility, m: SyncMutation, touched: Touched): Promise<Outcome> {
    const parsed = taskPayloadSchema.safeParse(m.payload);
    if (!parsed.success) return rejected('invalid', describe(parsed.error));
    const { overdue: _o, remindedAt: _r, ...rec } = parsed.data.record;
    if (rec.id !== m.entityId) return rejected('invalid', 'record.id differs from entityId');
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
        return { status: 'conflict', message: 'A task with this id already exists', version: rows[0]?.version ?? 0, record: rows[0]?.record, fields: ['id'] };
      }
      touched.tasks.add(t.id);
      return { status: 'applied', version: 1, record: t };
    }
    if (m.operation !== 'update' && m.operation !== 'complete') return rejected('unsupported', `Tasks do not support "${m.operation}"`);
    const { rows } = await tx.query<{ record: z.infer<typeof taskRecordSchema>; version: number }>('SELECT record, version FROM tasks WHERE id = $1 FOR UPDATE', [m.entityId]);
    const row = rows[0];
    if (!row) return rejected('not-found', `No task ${m.entityId} on the server`);
    if (!vis.task(row.record)) return rejected('forbidden', 'This task is not yours');
    const base = await this.serverBase(tx, m);
    if (m.operation === 'complete' && row.record.status !== 'open') {
      return { status: 'conflict', version: row.version, record: row.record, fields: ['status'], message: `The task is already ${row.record.status}` };
    }
    if (m.operation === 'update' && row.version !== base) {
      return { status: 'conflict', version: row.version, record: row.record, fields: parsed.data.changed, message: 'The task was changed by someone else first' };
    }
    const next = { ...rec, version: row.version + 1 };
    await tx.query('UPDATE tasks SET assignee = $2, status = $3, record = $4, version = $5 WHERE id = $1', [next.id, next.assignee, next.status, JSON.stringify(next), next.version]);
    touched.tasks.add(next.id);
    return { status: 'applied', version: next.version, record: next };
  }

  /**
   * The server version a desktop's base version stands for. A desktop numbers its own edits; when
   * it pushed the change that produced `baseVersion`, the server stored which server version that
   * became. Otherwise the base is a server version the desktop pulled.
   */
  private async serverBase(tx: Queryable, m: SyncMutation): Promise<number> {
    const { rows } = await tx.query<{ server_version: number | null }>(
      'SELECT server_version FROM sync_results WHERE client_id = $1 AND entity_id = $2 AND client_version = $3 ORDER BY seq DESC LIMIT 1',
      [m.clientId, m.entityId, m.baseVersion],
    );
    const mapped = rows[0]?.server_version;
    return mapped !== null && mapped !== undefined ? Number(mapped) : (m.baseVersion ?? 0);
  }

  private async loadTicket(tx: Queryable, id: string, lock: boolean): Promise<{ ticket: ServerTicket; fieldVersions: Record<string, number> } | null> {
    const { rows } = await tx.query<TicketRow>(`SELECT * FROM tickets WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    const r = rows[0];
    return r ? { ticket: rowToTicket(r), fieldVersions: r.field_versions } : null;
  }

  private async history(tx: Queryable, ticketId: string, at: number, by: string, m: SyncMutation, action: string, changes: unknown[]): Promise<void> {
    await tx.query('INSERT INTO ticket_history (ticket_id, at, by, client_id, seq, action, changes) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      ticketId,
      at,
      by,
      m.clientId,
      m.seq,
      action,
      JSON.stringify(changes),
    ]);
  }
}

/** The version a desktop's record has after its own change (what later changes name as base). */
function clientVersionOf(m: SyncMutation): number | null {
  const v = (m.payload as { record?: { version?: unknown } } | null)?.record?.version;
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}

function describe(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
    .join('; ');
}
