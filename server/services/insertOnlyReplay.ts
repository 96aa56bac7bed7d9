import { isDeepStrictEqual } from 'node:util';
import type { Queryable } from '../db/db';

/** An insert-only entry that was not inserted because its id exists: its id and its record (JSON text). */
export interface NotInserted {
  id: string;
  record: string;
}

/**
 * The ids among `entries` whose stored row is the same entry, pushed by the same user: an
 * idempotent replay (the agent state event that the real-time channel stored a moment before its
 * outbox copy arrived, an outbox sent again), never an error. A different entry under an existing
 * id is a real collision and stays `exists`.
 */
export async function sameEntries(run: { tx: Queryable; principal: { id: string } }, table: 'interactions' | 'agent_state_events', entries: readonly NotInserted[]): Promise<Set<string>> {
  const same = new Set<string>();
  if (entries.length === 0) return same;
  const { rows } = await run.tx.query<{ id: string; record: unknown; pushed_by: string }>(`SELECT id, record, pushed_by FROM ${table} WHERE id = ANY($1::text[])`, [entries.map((e) => e.id)]);
  const stored = new Map(rows.map((r) => [r.id, r]));
  for (const e of entries) {
    const row = stored.get(e.id);
    if (!row || row.pushed_by !== run.principal.id) continue;
    const record = typeof row.record === 'string' ? (JSON.parse(row.record) as unknown) : row.record;
    if (isDeepStrictEqual(record, JSON.parse(e.record) as unknown)) same.add(e.id);
  }
  return same;
}
