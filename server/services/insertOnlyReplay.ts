import { isDeepStrictEqual } from 'node:util';
import type { Queryable } from '../db/db';

/** An insert-only entry that was not inserted because its id exists: its id and its record (JSON text). */
export interface NotInserted {
  id: string;
  record: string;
}

/**
 * For each of `entries` (aligned): whether the stored row under its id is the same entry, pushed by
 * the same user: an idempotent replay (the agent state event that the real-time channel stored a
 * moment before its outbox copy arrived, an outbox sent again), never an error. A different entry
 * under an existing id is a real collision and stays `exists`, even when a true replay of the same
 * id is in the same batch (each entry is compared on its own).
 */
export async function sameEntries(run: { tx: Queryable; principal: { id: string } }, table: 'interactions' | 'agent_state_events', entries: readonly NotInserted[]): Promise<boolean[]> {
  if (entries.length === 0) return [];
  const { rows } = await run.tx.query<{ id: string; record: unknown; pushed_by: string }>(`SELECT id, record, pushed_by FROM ${table} WHERE id = ANY($1::text[])`, [entries.map((e) => e.id)]);
  const stored = new Map(rows.map((r) => [r.id, r]));
  return entries.map((e) => {
    const row = stored.get(e.id);
    if (!row || row.pushed_by !== run.principal.id) return false;
    const record = typeof row.record === 'string' ? (JSON.parse(row.record) as unknown) : row.record;
    return isDeepStrictEqual(record, JSON.parse(e.record) as unknown);
  });
}
