import { slaDueAt } from '../../../shared/ticket/ticket';
import type { SyncMutation } from '../../../shared/sync/protocol';
import type { Queryable } from '../../db/db';
import { ticketPushPayloadSchema } from '../../../shared/sync/payloads';
import { mergeTicket, rowToTicket, type FieldVersions, type ServerTicket, type TicketRow } from '../tickets';
import { describe, rejected, type Applied, type Run } from './run';

/**
 * Tickets. A create stores the ticket with status `new` and the server's SLA due time (naming the
 * fields the server decided); update, link and transition merge field by field against the server
 * version the desktop knew (`mergeTicket`): lost fields come back as `conflict` with the server record.
 */
export async function applyTicket(run: Run, m: SyncMutation): Promise<Applied> {
  const parsed = ticketPushPayloadSchema.safeParse(m.payload);
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
      const existing = await loadTicket(tx, m, false);
      return { outcome: { status: 'conflict', message: 'A ticket with this id already exists', version: existing?.ticket.version ?? 0, record: existing?.ticket, fields: ['id'] }, known: null };
    }
    run.touched.tickets.add(t.id);
    if (t.assignee !== null) run.touched.assigned.add(t.id);
    const adjusted = (['status', 'dueAt', 'createdBy'] as const).filter((f) => !Object.is(t[f], w[f]));
    return { outcome: { status: 'applied', version: 1, record: t, ...(adjusted.length > 0 ? { fields: adjusted } : {}) }, known: 1 };
  }
  if (m.operation !== 'update' && m.operation !== 'link' && m.operation !== 'transition') return { outcome: rejected('unsupported', `Tickets do not support "${m.operation}"`), known: null };
  if (m.baseVersion === null) return { outcome: rejected('invalid', 'A ticket change needs its base version'), known: null };
  const loaded = await loadTicket(tx, m, true);
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

/** The ticket with its field versions and the server version this client knew for its base version. */
async function loadTicket(tx: Queryable, m: SyncMutation, lock: boolean): Promise<{ ticket: ServerTicket; fieldVersions: FieldVersions; known: number | null } | null> {
  const { rows } = await tx.query<TicketRow & { known: number | null }>(
    `SELECT t.*, (SELECT known_version FROM sync_results WHERE client_id = $2 AND entity_id = $1 AND client_version = $3 ORDER BY seq DESC LIMIT 1) AS known
     FROM tickets t WHERE t.id = $1${lock ? ' FOR UPDATE OF t' : ''}`,
    [m.entityId, m.clientId, m.baseVersion],
  );
  const r = rows[0];
  return r ? { ticket: rowToTicket(r), fieldVersions: r.field_versions, known: r.known === null ? null : Number(r.known) } : null;
}
