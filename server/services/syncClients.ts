import { createHash } from 'node:crypto';
import { AppError } from '../../shared/api/result';
import type { ClientIdTakenDetails, MutationResult, SyncMutation } from '../../shared/sync/protocol';
import { cleanText } from '../../shared/sync/safeValues';
import type { Queryable } from '../db/db';
import type { Principal } from '../auth/tokens';

/**
 * Who a desktop's client id belongs to. Exactly-once answers replays by (client id, seq), so a
 * client id must never be shared: a second user, or a copied profile (same data folder on another
 * computer), pushing under it would have its changes taken for replays and silently dropped. A
 * client id belongs to the first user that pushes under it, and each stored result remembers what
 * identified its mutation (its fingerprint); a push by another user, or a "replay" that is not the
 * same mutation, is refused whole with `CLIENT_ID_TAKEN` (nothing applied) and the desktop takes a
 * new client id and sends its unsent changes again under it.
 */

/** What identifies a mutation across deliveries: never its payload (the desktop rewrites ids in it). */
export function fingerprintOf(m: SyncMutation): string {
  return createHash('sha256')
    .update(JSON.stringify([m.entity, cleanText(m.entityId), m.operation, m.baseVersion, m.createdAt]))
    .digest('base64url')
    .slice(0, 22);
}

/** The refusal; `details` tells the desktop how much of its outbox the server already has. */
export function clientIdTaken(details: ClientIdTakenDetails): AppError {
  const message =
    details.reason === 'other-user'
      ? 'This desktop client id belongs to another user: take a new client id and push again'
      : `Sequence ${details.divergedAt ?? '?'} of this client id is another desktop's change (a copied profile?): take a new client id and push again`;
  return new AppError('CLIENT_ID_TAKEN', message, details);
}

/**
 * Locks the client's row (created for `principal` on first use) and returns its high-water mark.
 * Throws `CLIENT_ID_TAKEN` when the client id belongs to another user.
 */
export async function claimClient(tx: Queryable, clientId: string, principal: Principal, now: number): Promise<number> {
  const { rows } = await tx.query<{ high_water: number; user_id: string | null }>(
    `INSERT INTO sync_clients (client_id, high_water, last_user, user_id, updated_at) VALUES ($1, 0, $2, $2, $3)
     ON CONFLICT (client_id) DO UPDATE SET user_id = COALESCE(sync_clients.user_id, EXCLUDED.user_id) RETURNING high_water, user_id`,
    [clientId, principal.id, now],
  );
  const row = rows[0]!;
  if (row.user_id !== principal.id) throw clientIdTaken({ reason: 'other-user' });
  return Number(row.high_water);
}

/**
 * The stored results of the replayed mutations (seq <= high-water), by seq. Throws
 * `CLIENT_ID_TAKEN` at the first replay whose fingerprint differs from the stored one.
 */
export async function storedResults(tx: Queryable, clientId: string, replays: SyncMutation[]): Promise<Map<number, MutationResult>> {
  const stored = new Map<number, MutationResult>();
  if (replays.length === 0) return stored;
  const { rows } = await tx.query<{ seq: number; result: MutationResult; fingerprint: string | null }>(
    'SELECT seq, result, fingerprint FROM sync_results WHERE client_id = $1 AND seq = ANY($2::bigint[])',
    [clientId, replays.map((m) => m.seq)],
  );
  const prints = new Map(rows.map((r) => [Number(r.seq), r.fingerprint]));
  for (const m of replays) {
    const print = prints.get(m.seq);
    // Results stored before fingerprints existed (null) are trusted as before.
    if (print && print !== fingerprintOf(m)) throw clientIdTaken({ reason: 'other-desktop', divergedAt: m.seq });
  }
  for (const r of rows) stored.set(Number(r.seq), r.result);
  return stored;
}
