import { agentStateEventPushPayloadSchema as agentStatePayloadSchema, interactionPushPayloadSchema as interactionPayloadSchema } from '../../../shared/sync/payloads';
import type { MutationResult, SyncMutation } from '../../../shared/sync/protocol';
import { sameEntries } from '../insertOnlyReplay';
import { describe, rejected, type Outcome, type Run } from './run';

/** Interactions and agent state events: inserted once, never changed. */
export async function applyInsertOnly(run: Run, m: SyncMutation, result: MutationResult): Promise<Outcome> {
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
    await flushInserts(run);
    if (result.status === 'rejected') return rejected(result.reason ?? 'exists', result.message ?? 'Already exists');
  }
  return { status: 'applied', version: 1 };
}

/**
 * Inserts the gathered insert-only rows (one statement per table). An existing id holding the same
 * entry from the same user is an idempotent replay (an agent state event already sent on the
 * real-time channel, a re-sent outbox): `applied`. Another entry under that id answers `exists`.
 */
export async function flushInserts(run: Run): Promise<void> {
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
