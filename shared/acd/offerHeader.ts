import { z } from 'zod';

/**
 * Why a queue call rings this agent, carried to the agent's phone in the INVITE Kamailio sends for
 * the router's offer: `X-CallDesk-Queue: sales;name=Sales;reason=skill;vip=0;waited=1234`
 * (name URI-encoded; waited: ms the caller had waited when the offer was made).
 */
export const QUEUE_OFFER_HEADER = 'X-CallDesk-Queue';

/** Why the router chose this agent (shared/acd/policy.ts `OfferReason`). */
export const OFFER_REASONS = ['owner', 'skill', 'longest-idle'] as const;

/** The queue offer as the call snapshot carries it. */
export const queueOfferSchema = z.object({
  queueId: z.string().min(1).max(40),
  queueName: z.string().max(80),
  reason: z.enum(OFFER_REASONS),
  /** The caller went ahead of others as a VIP. */
  vip: z.boolean(),
  /** How long the caller had waited when the call was offered (ms). */
  waitedMs: z.number().int().min(0),
});
/** A queue offer. */
export type QueueOffer = z.infer<typeof queueOfferSchema>;

/** The header value for an offer. */
export function formatQueueOffer(o: QueueOffer): string {
  return `${o.queueId};name=${encodeURIComponent(o.queueName)};reason=${o.reason};vip=${o.vip ? 1 : 0};waited=${Math.max(0, Math.round(o.waitedMs))}`;
}

/** Reads the header value; null when absent or not understood (the call then rings as a plain call). */
export function parseQueueOffer(value: string | undefined): QueueOffer | null {
  if (!value) return null;
  const [id, ...params] = value.split(';').map((p) => p.trim());
  const kv = new Map(params.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const));
  let name = kv.get('name') ?? id ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // A badly encoded name is shown as sent.
  }
  const parsed = queueOfferSchema.safeParse({ queueId: id, queueName: name, reason: kv.get('reason'), vip: kv.get('vip') === '1', waitedMs: Number(kv.get('waited')) });
  return parsed.success ? parsed.data : null;
}
