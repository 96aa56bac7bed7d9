import type { z } from 'zod';
import { taskPushPayloadSchema as taskPayloadSchema, taskPushRecordSchema as taskRecordSchema } from '../../../shared/sync/payloads';
import type { SyncMutation } from '../../../shared/sync/protocol';
import type { Queryable } from '../../db/db';
import { describe, rejected, type Applied, type Run } from './run';

/**
 * Tasks (follow-ups). A create stores the task; update and complete replace the record unless
 * someone else changed it after the version the desktop knew (`conflict`); completing a task that
 * is no longer open is a `conflict` too.
 */
export async function applyTask(run: Run, m: SyncMutation): Promise<Applied> {
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
  if (m.operation === 'update' && row.version > known && !(await onlyOwnChanges(tx, m, known))) {
    return { outcome: { status: 'conflict', version: row.version, record: row.record, fields: parsed.data.changed, message: 'The task was changed by someone else first' }, known };
  }
  const next = { ...rec, version: row.version + 1 };
  await tx.query('UPDATE tasks SET assignee = $2, status = $3, record = $4, version = $5 WHERE id = $1', [next.id, next.assignee, next.status, JSON.stringify(next), next.version]);
  run.touched.tasks.add(next.id);
  return { outcome: { status: 'applied', version: next.version, record: next }, known };
}

/** True when every task change after `known` came from this client. */
async function onlyOwnChanges(tx: Queryable, m: SyncMutation, known: number): Promise<boolean> {
  const { rows } = await tx.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM sync_results WHERE entity = 'task' AND entity_id = $1 AND client_id <> $2 AND server_version > $3",
    [m.entityId, m.clientId, known],
  );
  return rows[0]!.n === 0;
}
