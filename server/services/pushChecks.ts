import { describeUnsafe, findUnsafeValue, isSaneEpochMs, type UnsafeValue } from '../../shared/sync/safeValues';
import type { SyncMutation } from '../../shared/sync/protocol';
import type { OutboxEntity } from '../../shared/sync/outbox';

/**
 * Checks a pushed mutation can be stored before anything touches the database, so a value the
 * database would refuse (NUL, a lone surrogate, a date of 1e308) is one mutation's `rejected`
 * answer and never fails the whole push (`shared/sync/safeValues.ts` has the rules).
 */

/** The date fields (epoch ms) of each pushed record; each must be a sane date when it is a number. */
const DATE_FIELDS: Readonly<Record<OutboxEntity, readonly string[]>> = {
  interaction: ['occurredAt', 'answeredAt', 'endedAt', 'createdAt'],
  ticket: ['createdAt', 'updatedAt', 'dueAt', 'pendingSince', 'resolvedAt', 'closedAt'],
  task: ['dueAt', 'remindAt', 'remindedAt', 'createdAt', 'completedAt'],
  customer: ['lastContactAt', 'createdAt', 'updatedAt'],
  'agent-state-event': ['at'],
};

/** The first value of `m` the server cannot store, or null when every value round-trips. */
export function unstorableValue(m: SyncMutation): UnsafeValue | null {
  const found = findUnsafeValue(m.entityId, 'entityId') ?? findUnsafeValue(m.payload, 'payload');
  if (found) return found;
  const record = (m.payload as { record?: unknown } | null)?.record;
  if (!record || typeof record !== 'object') return null;
  const r = record as Record<string, unknown>;
  for (const f of DATE_FIELDS[m.entity]) {
    const v = r[f];
    if (typeof v === 'number' && !isSaneEpochMs(v)) return { path: `payload.record.${f}`, kind: 'bad-date' };
  }
  if (m.entity === 'interaction' && Array.isArray(r.holds)) {
    for (const [i, h] of (r.holds as unknown[]).entries()) {
      for (const k of ['start', 'end'] as const) {
        const v = (h as Record<string, unknown> | null)?.[k];
        if (typeof v === 'number' && !isSaneEpochMs(v)) return { path: `payload.record.holds[${i}].${k}`, kind: 'bad-date' };
      }
    }
  }
  return null;
}

/** The reason sentence for a mutation refused by {@link unstorableValue}. */
export function unstorableMessage(u: UnsafeValue): string {
  return `The server cannot store this change: ${describeUnsafe(u)}`;
}
