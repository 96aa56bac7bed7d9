import type Database from 'better-sqlite3';
import { z } from 'zod';
import { agentStateEventSchema, agentStateSchema, type AgentStateEvent } from '../../../shared/agent/state';

const rowSchema = z.object({
  id: z.string(),
  agent_id: z.string(),
  from_state: agentStateSchema.nullable(),
  from_reason: z.string().nullable(),
  to_state: agentStateSchema,
  to_reason: z.string().nullable(),
  at: z.number(),
  previous_ms: z.number().int().nullable(),
  call_id: z.string().nullable(),
  cause: z.string().nullable(),
});

function toEvent(row: unknown): AgentStateEvent {
  const r = rowSchema.parse(row);
  return agentStateEventSchema.parse({
    id: r.id,
    agentId: r.agent_id,
    fromState: r.from_state,
    fromReason: r.from_reason,
    toState: r.to_state,
    toReason: r.to_reason,
    at: r.at,
    previousMs: r.previous_ms,
    callId: r.call_id,
    cause: r.cause,
  });
}

/** The insert-only `agent_state_events` table. */
export class AgentStateRepository {
  constructor(private readonly db: Database.Database) {}

  /** Appends one state change. */
  insert(e: AgentStateEvent): void {
    const { next } = this.db.prepare('SELECT coalesce(max(seq), 0) + 1 AS next FROM agent_state_events').get() as { next: number };
    this.db
      .prepare(
        `INSERT INTO agent_state_events (id, seq, agent_id, from_state, from_reason, to_state, to_reason, at, previous_ms, call_id, cause)
         VALUES (@id, @seq, @agentId, @fromState, @fromReason, @toState, @toReason, @at, @previousMs, @callId, @cause)`,
      )
      .run({ ...e, seq: next });
  }

  /** The latest change of an agent, or null. */
  last(agentId: string): AgentStateEvent | null {
    const row = this.db.prepare('SELECT * FROM agent_state_events WHERE agent_id = ? ORDER BY seq DESC LIMIT 1').get(agentId);
    return row ? toEvent(row) : null;
  }

  /** An agent's changes since `from` (epoch ms), oldest first. */
  list(agentId: string, from = 0): AgentStateEvent[] {
    return this.db.prepare('SELECT * FROM agent_state_events WHERE agent_id = ? AND at >= ? ORDER BY seq').all(agentId, from).map(toEvent);
  }
}
