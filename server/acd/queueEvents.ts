import type { CallerTier } from '../../shared/acd/policy';
import type { Db } from '../db/db';
import type { Logger } from '../log';

/** Kinds of queue events (the `queue_events.kind` check). */
export type QueueEventKind = 'entered' | 'offered' | 'no-answer' | 'answered' | 'abandoned' | 'overflowed' | 'closed' | 'transferred' | 'ended';

/** One queue event as the router writes it. */
export interface QueueEvent {
  callId: string;
  queueId: string;
  kind: QueueEventKind;
  agentId?: string | null;
  /** Server time (epoch ms). */
  at: number;
  waitMs?: number | null;
  detail?: Record<string, unknown>;
}

/**
 * Writes queue events in the order they happen (one chain: a row's id order is the order of the
 * facts). A failed write is logged and retried once; it never stops routing.
 */
export class QueueEventWriter {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  /** Queues one event for writing. */
  write(e: QueueEvent): void {
    this.chain = this.chain.then(async () => {
      const sql = 'INSERT INTO queue_events (call_id, queue_id, kind, agent_id, at, wait_ms, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)';
      const params = [e.callId, e.queueId, e.kind, e.agentId ?? null, e.at, e.waitMs ?? null, JSON.stringify(e.detail ?? {})];
      try {
        await this.db.query(sql, params);
      } catch (err) {
        this.logger.warn('queue event write failed: retrying once', { error: (err as Error).message, kind: e.kind });
        await this.db.query(sql, params).catch((again: Error) => this.logger.error('queue event lost', { error: again.message, event: e }));
      }
    });
  }

  /** Resolves when every event queued so far is written. */
  flush(): Promise<void> {
    return this.chain;
  }
}

/** A call that was waiting (or ringing an agent) when the previous router stopped. */
export interface RestoredCall {
  callId: string;
  queueId: string;
  enteredAt: number;
  seq: number;
  tier: CallerTier;
  ownerId: string | null;
  tindex: number;
  tlabel: number;
  attempt: number;
  attempts: number;
  /** The agent it was ringing, when the last event is `offered`. */
  offeredTo: string | null;
}

/**
 * Calls still in a queue according to the events: entered within `horizonMs` and whose latest event
 * is `entered`, `no-answer` or `offered`. Kamailio's transaction ids come from the latest event
 * that carries them.
 */
export async function waitingCalls(db: Db, now: number, horizonMs: number): Promise<RestoredCall[]> {
  const { rows } = await db.query<{ call_id: string; queue_id: string; kind: string; agent_id: string | null; entered_at: string; entered: Record<string, unknown>; ids: Record<string, unknown> | null; offers: string }>(
    `WITH recent AS (
       SELECT DISTINCT ON (call_id) call_id, queue_id, at AS entered_at, detail AS entered FROM queue_events
       WHERE kind = 'entered' AND at >= $1 ORDER BY call_id, id DESC
     )
     SELECT r.call_id, r.queue_id, r.entered_at, r.entered, last.kind, last.agent_id,
       (SELECT detail FROM queue_events i WHERE i.call_id = r.call_id AND i.detail ? 'tindex' ORDER BY id DESC LIMIT 1) AS ids,
       (SELECT count(*) FROM queue_events o WHERE o.call_id = r.call_id AND o.kind = 'offered' AND o.queue_id = r.queue_id) AS offers
     FROM recent r
     CROSS JOIN LATERAL (SELECT kind, agent_id FROM queue_events l WHERE l.call_id = r.call_id ORDER BY id DESC LIMIT 1) last
     WHERE last.kind IN ('entered', 'no-answer', 'offered')`,
    [now - horizonMs],
  );
  return rows
    .filter((r) => r.ids !== null)
    .map((r) => ({
      callId: r.call_id,
      queueId: r.queue_id,
      enteredAt: Number(r.entered_at),
      seq: Number(r.entered.seq ?? 0),
      tier: r.entered.tier === 'vip' ? 'vip' : 'normal',
      ownerId: typeof r.entered.ownerId === 'string' ? r.entered.ownerId : null,
      tindex: Number(r.ids!.tindex),
      tlabel: Number(r.ids!.tlabel),
      attempt: Number(r.ids!.attempt),
      attempts: Number(r.offers),
      offeredTo: r.kind === 'offered' ? r.agent_id : null,
    }));
}
