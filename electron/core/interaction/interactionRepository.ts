import type Database from 'better-sqlite3';
import { z } from 'zod';
import { END_REASONS, holdIntervalSchema } from '../../../shared/phone/call';
import { qualitySummarySchema } from '../../../shared/phone/quality';
import { INTERACTION_KINDS, REVISION_KINDS, type Interaction } from '../../../shared/interaction/interaction';
import { WRAPUP_COMPLETIONS } from '../../../shared/agent/wrapup';

const rowSchema = z.object({
  id: z.string(),
  kind: z.enum(INTERACTION_KINDS),
  root_id: z.string(),
  revision_of: z.string().nullable(),
  revision_kind: z.enum(REVISION_KINDS),
  correction_reason: z.string().nullable(),
  customer_id: z.number().int().nullable(),
  agent_id: z.string(),
  direction: z.enum(['inbound', 'outbound']).nullable(),
  local_number: z.string().nullable(),
  remote_number: z.string().nullable(),
  remote_name: z.string().nullable(),
  queue: z.string().nullable(),
  headers_json: z.string(),
  call_id: z.string().nullable(),
  sip_call_id: z.string().nullable(),
  occurred_at: z.number(),
  answered_at: z.number().nullable(),
  ended_at: z.number().nullable(),
  holds_json: z.string(),
  ring_ms: z.number().int().nullable(),
  talk_ms: z.number().int().nullable(),
  hold_ms: z.number().int().nullable(),
  wrapup_ms: z.number().int().nullable(),
  end_reason: z.enum(END_REASONS).nullable(),
  end_sip_code: z.number().int().nullable(),
  disposition: z.string().nullable(),
  wrapup_completion: z.enum(WRAPUP_COMPLETIONS).nullable(),
  subject: z.string(),
  notes: z.string(),
  quality_json: z.string().nullable(),
  dtmf_received: z.string(),
  ticket_ids_json: z.string(),
  created_at: z.number(),
});

const headersSchema = z.record(z.string(), z.string());

/** Parses one row (zod) into an {@link Interaction}. */
function toInteraction(row: unknown): Interaction {
  const r = rowSchema.parse(row);
  return {
    id: r.id,
    kind: r.kind,
    rootId: r.root_id,
    revisionOf: r.revision_of,
    revisionKind: r.revision_kind,
    correctionReason: r.correction_reason,
    customerId: r.customer_id,
    agentId: r.agent_id,
    direction: r.direction,
    localNumber: r.local_number,
    remoteNumber: r.remote_number,
    remoteName: r.remote_name,
    queue: r.queue,
    headers: headersSchema.parse(JSON.parse(r.headers_json)),
    callId: r.call_id,
    sipCallId: r.sip_call_id,
    occurredAt: r.occurred_at,
    answeredAt: r.answered_at,
    endedAt: r.ended_at,
    holds: z.array(holdIntervalSchema).parse(JSON.parse(r.holds_json)),
    ringMs: r.ring_ms,
    talkMs: r.talk_ms,
    holdMs: r.hold_ms,
    wrapUpMs: r.wrapup_ms,
    endReason: r.end_reason,
    endSipCode: r.end_sip_code,
    disposition: r.disposition,
    wrapUpCompletion: r.wrapup_completion,
    subject: r.subject,
    notes: r.notes,
    quality: r.quality_json === null ? null : qualitySummarySchema.parse(JSON.parse(r.quality_json)),
    dtmfReceived: r.dtmf_received,
    ticketIds: z.array(z.string()).parse(JSON.parse(r.ticket_ids_json)),
    createdAt: r.created_at,
  };
}

const HEAD = 'NOT EXISTS (SELECT 1 FROM interactions n WHERE n.revision_of = i.id)';

/** The `interactions` table (insert-only: the schema refuses UPDATE and DELETE). */
export class InteractionRepository {
  constructor(private readonly db: Database.Database) {}

  /** Inserts one entry. */
  insert(e: Interaction): void {
    this.db
      .prepare(
        `INSERT INTO interactions (id, kind, root_id, revision_of, revision_kind, correction_reason, customer_id, agent_id, direction,
           local_number, remote_number, remote_name, queue, headers_json, call_id, sip_call_id, occurred_at, answered_at, ended_at,
           holds_json, ring_ms, talk_ms, hold_ms, wrapup_ms, end_reason, end_sip_code, disposition, wrapup_completion, subject, notes,
           quality_json, dtmf_received, ticket_ids_json, created_at)
         VALUES (@id, @kind, @rootId, @revisionOf, @revisionKind, @correctionReason, @customerId, @agentId, @direction,
           @localNumber, @remoteNumber, @remoteName, @queue, @headers, @callId, @sipCallId, @occurredAt, @answeredAt, @endedAt,
           @holds, @ringMs, @talkMs, @holdMs, @wrapUpMs, @endReason, @endSipCode, @disposition, @wrapUpCompletion, @subject, @notes,
           @quality, @dtmfReceived, @ticketIds, @createdAt)`,
      )
      .run({
        ...e,
        headers: JSON.stringify(e.headers),
        holds: JSON.stringify(e.holds),
        quality: e.quality === null ? null : JSON.stringify(e.quality),
        ticketIds: JSON.stringify(e.ticketIds),
      });
  }

  /** One entry by id, or null. */
  get(id: string): Interaction | null {
    const row = this.db.prepare('SELECT * FROM interactions WHERE id = ?').get(id);
    return row ? toInteraction(row) : null;
  }

  /** The entry that revises `id`, or null when `id` is the latest revision. */
  successorOf(id: string): Interaction | null {
    const row = this.db.prepare('SELECT * FROM interactions WHERE revision_of = ?').get(id);
    return row ? toInteraction(row) : null;
  }

  /** The latest revision of the contact `rootId`. */
  headOf(rootId: string): Interaction | null {
    const row = this.db.prepare(`SELECT * FROM interactions i WHERE root_id = ? AND ${HEAD}`).get(rootId);
    return row ? toInteraction(row) : null;
  }

  /** Every revision of a contact, oldest first. */
  chain(rootId: string): Interaction[] {
    return this.db.prepare('SELECT * FROM interactions WHERE root_id = ? ORDER BY created_at, rowid').all(rootId).map(toInteraction);
  }

  /** The original entry logged for an app call id, or null. */
  originalForCall(callId: string): Interaction | null {
    const row = this.db.prepare("SELECT * FROM interactions WHERE call_id = ? AND revision_kind = 'original'").get(callId);
    return row ? toInteraction(row) : null;
  }

  /** A customer's contacts (latest revisions), newest first, after a cursor. */
  listByCustomer(customerId: number, limit: number, after?: { occurredAt: number; id: string }): Interaction[] {
    if (after) {
      return this.db
        .prepare(
          `SELECT * FROM interactions i WHERE customer_id = ? AND ${HEAD} AND (occurred_at < ? OR (occurred_at = ? AND id < ?))
           ORDER BY occurred_at DESC, id DESC LIMIT ?`,
        )
        .all(customerId, after.occurredAt, after.occurredAt, after.id, limit)
        .map(toInteraction);
    }
    return this.db
      .prepare(`SELECT * FROM interactions i WHERE customer_id = ? AND ${HEAD} ORDER BY occurred_at DESC, id DESC LIMIT ?`)
      .all(customerId, limit)
      .map(toInteraction);
  }

  /** How many contacts a customer has (latest revisions only). */
  countByCustomer(customerId: number): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM interactions i WHERE customer_id = ? AND ${HEAD}`).get(customerId) as { n: number }).n;
  }
}
