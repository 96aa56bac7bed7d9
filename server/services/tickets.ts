import { canTransitionTicket, dueAfterSlaChange, dueAfterTransition, ticketSchema, type SlaRule, type Ticket } from '../../shared/ticket/ticket';
import type { TicketPushPayload } from '../../shared/sync/payloads';

/** A ticket as the server stores and sends it: the shared shape without the computed `overdue`. */
export const serverTicketSchema = ticketSchema.omit({ overdue: true });
/** A server ticket. */
export type ServerTicket = Omit<Ticket, 'overdue'>;

/** Fields merged one by one against the base version (the text fields and the simple values). */
export const MERGED_FIELDS = ['type', 'priority', 'category', 'subject', 'description', 'customerId'] as const;
/** A merged field. */
export type MergedField = (typeof MERGED_FIELDS)[number];

/** Per field: the ticket version that last changed it (`v`) and the client that made that change (`c`). */
export type FieldVersions = Record<string, { v: number; c: string }>;

/** A tickets row. */
export interface TicketRow {
  id: string;
  type: string;
  priority: string;
  status: string;
  category: string;
  subject: string;
  description: string;
  customer_id: number | null;
  assignee: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  due_at: number;
  /** Absent in rows read before migration 002. */
  pending_since?: number | string | null;
  resolution: string | null;
  satisfaction: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  interaction_ids: string[];
  field_versions: FieldVersions;
  version: number;
}

/** Maps a row to the wire shape. */
export function rowToTicket(r: TicketRow): ServerTicket {
  return serverTicketSchema.parse({
    id: r.id,
    type: r.type,
    priority: r.priority,
    status: r.status,
    category: r.category,
    subject: r.subject,
    description: r.description,
    customerId: r.customer_id === null ? null : Number(r.customer_id),
    assignee: r.assignee,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    dueAt: Number(r.due_at),
    pendingSince: r.pending_since === null || r.pending_since === undefined ? null : Number(r.pending_since),
    resolution: r.resolution,
    satisfaction: r.satisfaction,
    resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
    closedAt: r.closed_at === null ? null : Number(r.closed_at),
    interactionIds: r.interaction_ids,
    version: r.version,
  });
}

/** The outcome of merging one desktop change into the server ticket. */
export interface TicketMerge {
  /** The server ticket after the merge (unchanged when nothing applied). */
  next: ServerTicket;
  fieldVersions: FieldVersions;
  /** Fields the desktop changed that someone else changed first: the server value stays. */
  lost: string[];
  /** Fields that actually changed on the server (with `dueAt` when the SLA due time moved as a consequence). */
  applied: string[];
  /** The desktop asked for a status move that is illegal from the server status (nobody else moved it). */
  illegal: boolean;
}

/**
 * Merges a desktop ticket change into the server ticket. The rule, field by field:
 *
 * - A field the desktop did not change is left alone.
 * - A merged field (text, type, priority, customer) the desktop changed takes the desktop value
 *   unless another client changed that field after the server version the desktop knew
 *   (`knownVersion`): then the server value stays (first writer wins) and the field is reported as
 *   lost. A desktop's own earlier changes never conflict with its later ones.
 * - Interaction links are a set: the union always applies.
 * - Assignee: as a merged field, but the server decides: an assignment made by someone else after
 *   the base version wins.
 * - Status: applied when the move is legal from the server's current status and nobody else moved
 *   the status after the base version; otherwise the server status stays (lost). Resolution and
 *   satisfaction travel with the move to `resolved`; reopening clears them.
 * - A type or priority change recomputes the SLA due time with the server's SLA rules, keeping the
 *   pending time already credited (`dueAfterSlaChange`).
 * - The SLA clock pauses while the ticket is pending: an applied status move enters or leaves the
 *   pause at the time the desktop made it (its record's `updatedAt`), by the shared rule
 *   `dueAfterTransition`, so the desktop and the server compute the same due time.
 *
 * Two desktops editing the same ticket offline therefore converge on one server record, which both
 * adopt from their push results.
 */
export function mergeTicket(
  current: ServerTicket,
  fieldVersions: FieldVersions,
  knownVersion: number,
  clientId: string,
  payload: TicketPushPayload,
  slaRules: readonly SlaRule[],
  now: number,
): TicketMerge {
  const wanted = payload.record;
  const changed = new Set(payload.changed);
  const next: ServerTicket = { ...current };
  const fv: FieldVersions = { ...fieldVersions };
  const newVersion = current.version + 1;
  const lost: string[] = [];
  const applied: string[] = [];
  // Changed by someone else after the version this desktop knew (its own changes never conflict).
  const changedSince = (f: string) => {
    const last = fv[f];
    return last !== undefined && last.v > knownVersion && last.c !== clientId;
  };
  const mark = (f: string) => (fv[f] = { v: newVersion, c: clientId });
  const take = <K extends keyof ServerTicket>(f: K) => {
    if (!changed.has(f) || Object.is(wanted[f], current[f])) return;
    if (changedSince(f)) {
      lost.push(f);
      return;
    }
    next[f] = wanted[f];
    mark(f);
    applied.push(f);
  };
  for (const f of MERGED_FIELDS) take(f);
  take('assignee');

  if (changed.has('interactionIds')) {
    const union = [...current.interactionIds];
    for (const id of wanted.interactionIds) if (!union.includes(id)) union.push(id);
    if (union.length !== current.interactionIds.length) {
      next.interactionIds = union;
      applied.push('interactionIds');
    }
  }

  if (applied.includes('type') || applied.includes('priority')) {
    next.dueAt = dueAfterSlaChange(slaRules, current, next.type, next.priority);
  }

  let illegal = false;
  if (changed.has('status') && wanted.status !== current.status) {
    if (changedSince('status')) {
      lost.push('status');
    } else if (!canTransitionTicket(current.status, wanted.status)) {
      illegal = true;
    } else {
      Object.assign(next, dueAfterTransition(next, wanted.status, wanted.updatedAt));
      next.status = wanted.status;
      mark('status');
      applied.push('status');
      if (wanted.status === 'resolved') {
        next.resolution = wanted.resolution;
        next.satisfaction = wanted.satisfaction;
        next.resolvedAt = wanted.resolvedAt ?? now;
      } else if (wanted.status === 'closed') {
        next.closedAt = wanted.closedAt ?? now;
      } else if (current.status === 'resolved' || current.status === 'closed') {
        next.resolution = null;
        next.satisfaction = null;
        next.resolvedAt = null;
        next.closedAt = null;
      }
    }
  }

  // The due time follows from the applied fields; listed so the history shows it moving.
  if (next.dueAt !== current.dueAt) applied.push('dueAt');
  if (applied.length > 0) {
    next.version = newVersion;
    next.updatedAt = Math.max(current.updatedAt, wanted.updatedAt);
  }
  return { next, fieldVersions: fv, lost, applied, illegal };
}
