import type { CallerTier } from '../../shared/acd/policy';
import type { Db } from '../db/db';

/** The caller's customer tier and owner, by the number they call from. */
export async function lookupCaller(db: Db, from: string): Promise<{ tier: CallerTier; ownerId: string | null }> {
  const digits = from.replace(/[^\d+]/g, '');
  if (!digits) return { tier: 'normal', ownerId: null };
  const forms = [...new Set([digits, digits.startsWith('+') ? digits : `+${digits}`])];
  const { rows } = await db.query<{ owner_id: string | null; level: string | null }>(
    `SELECT c.owner_id, c.record->>'level' AS level FROM customer_phones p JOIN customers c ON c.id = p.customer_id WHERE p.e164 = ANY($1::text[]) ORDER BY c.id LIMIT 1`,
    [forms],
  );
  const r = rows[0];
  return { tier: r?.level === 'vip' ? 'vip' : 'normal', ownerId: r?.owner_id ?? null };
}
