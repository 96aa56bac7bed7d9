import type { AgentState } from '../agent/state';
import type { RoutingPolicy } from './queueConfig';

/**
 * Routing policies of the ACD as pure functions: which waiting call goes first and which agent gets
 * it. No clock, no I/O: the router (server/acd/) passes the time in. Rules (docs/acd.md):
 * - waiting calls: queue priority, then VIP first (when the queue says so), then original position;
 * - an agent is eligible when their last reported state is `ready`, they hold no queue call (offered
 *   or talking) and they are not `missed` (no answer to an offer, until they choose ready again);
 * - longest idle first; skills: best level first, one level lower every `widenAfterSec`;
 * - owner first: the caller's owner when available; while the owner is busy on a call the call waits
 *   for them up to `ownerFirstSec`; an owner not ready or logged out is skipped at once.
 */

/** What the router knows of an agent. */
export interface AcdAgent {
  id: string;
  /** Last state the agent's desktop reported. */
  state: AgentState;
  /** The queue call offered to or answered by this agent, if any. */
  callId: string | null;
  /** Did not answer an offer; cleared when the agent chooses ready again. */
  missed: boolean;
  /** Server time (epoch ms) since when the agent is idle (last move to ready). */
  idleSince: number;
}

/** A customer tier that goes ahead in the queue. */
export type CallerTier = 'vip' | 'normal';

/** A call waiting in a queue (or being offered). */
export interface AcdCall {
  callId: string;
  queueId: string;
  /** Entry order over all queues (the original position; kept on re-offer). */
  seq: number;
  /** Server time of queue entry (epoch ms). */
  enteredAt: number;
  tier: CallerTier;
  /** Owner of the caller's customer record, if known. */
  ownerId: string | null;
  /** Agent currently offered the call (ringing), null while waiting. */
  offeredTo: string | null;
  /** Offers made so far. */
  attempts: number;
}

/** The part of a queue's configuration the policies need. */
export interface AcdQueue {
  id: string;
  priority: number;
  policy: RoutingPolicy;
  widenAfterSec: number;
  ownerFirstSec: number;
  vipFirst: boolean;
  /** agent id -> skill level (1..10). */
  members: ReadonlyMap<string, number>;
}

/** Why an agent got a call (shown on the ringing card, stored with the offer event). */
export type OfferReason = 'owner' | 'skill' | 'longest-idle';

/** One routing decision. */
export interface Offer {
  callId: string;
  agentId: string;
  reason: OfferReason;
  /** The call went ahead of others because of its tier. */
  vip: boolean;
}

/** True when the agent may be offered a call now. */
export function isAgentAvailable(agent: AcdAgent): boolean {
  return agent.state === 'ready' && agent.callId === null && !agent.missed;
}

/** True when the agent is occupied by a call (and will be free again without choosing anything). */
function isBusyOnCall(agent: AcdAgent): boolean {
  return agent.callId !== null || agent.state === 'ringing' || agent.state === 'on-call' || agent.state === 'wrap-up';
}

/** Waiting calls (not being offered) in the order they get agents. */
export function orderWaitingCalls(calls: Iterable<AcdCall>, queues: ReadonlyMap<string, AcdQueue>): AcdCall[] {
  const rank = (c: AcdCall) => {
    const q = queues.get(c.queueId);
    return { p: q?.priority ?? 0, vip: q?.vipFirst && c.tier === 'vip' ? 1 : 0 };
  };
  return [...calls]
    .filter((c) => c.offeredTo === null)
    .sort((a, b) => {
      const ra = rank(a);
      const rb = rank(b);
      return rb.p - ra.p || rb.vip - ra.vip || a.seq - b.seq;
    });
}

/** The choice for one call: an agent with a reason, or nobody yet. */
export type AgentChoice = { agentId: string; reason: OfferReason } | null;

/** Chooses an agent for `call` among `agents` (only members of its queue who are available). */
export function chooseAgent(call: AcdCall, queue: AcdQueue, agents: ReadonlyMap<string, AcdAgent>, now: number, taken: ReadonlySet<string> = new Set()): AgentChoice {
  const waitedSec = Math.max(0, (now - call.enteredAt) / 1000);
  const free = (id: string) => {
    const a = agents.get(id);
    return a !== undefined && !taken.has(id) && isAgentAvailable(a);
  };
  if (call.ownerId && queue.ownerFirstSec > 0 && queue.members.has(call.ownerId) && waitedSec < queue.ownerFirstSec) {
    if (free(call.ownerId)) return { agentId: call.ownerId, reason: 'owner' };
    const owner = agents.get(call.ownerId);
    if (owner && !owner.missed && isBusyOnCall(owner)) return null;
  }
  const candidates = [...queue.members.keys()].filter(free).map((id) => agents.get(id)!);
  if (candidates.length === 0) return null;
  const byIdle = (a: AcdAgent, b: AcdAgent) => a.idleSince - b.idleSince || (a.id < b.id ? -1 : 1);
  if (queue.policy === 'skills') {
    const present = [...queue.members.entries()].filter(([id]) => {
      const a = agents.get(id);
      return a !== undefined && a.state !== 'logged-out';
    });
    const top = Math.max(...present.map(([, s]) => s), 0);
    const floor = top - Math.floor(waitedSec / queue.widenAfterSec);
    const eligible = candidates.filter((a) => (queue.members.get(a.id) ?? 0) >= floor);
    if (eligible.length === 0) return null;
    eligible.sort((a, b) => (queue.members.get(b.id) ?? 0) - (queue.members.get(a.id) ?? 0) || byIdle(a, b));
    return { agentId: eligible[0]!.id, reason: 'skill' };
  }
  candidates.sort(byIdle);
  return { agentId: candidates[0]!.id, reason: 'longest-idle' };
}

/** Matches waiting calls to available agents, first call first; each agent gets at most one call. */
export function assignOffers(calls: Iterable<AcdCall>, queues: ReadonlyMap<string, AcdQueue>, agents: ReadonlyMap<string, AcdAgent>, now: number): Offer[] {
  const taken = new Set<string>();
  const offers: Offer[] = [];
  for (const call of orderWaitingCalls(calls, queues)) {
    const queue = queues.get(call.queueId);
    if (!queue) continue;
    const choice = chooseAgent(call, queue, agents, now, taken);
    if (!choice) continue;
    taken.add(choice.agentId);
    offers.push({ callId: call.callId, agentId: choice.agentId, reason: choice.reason, vip: queue.vipFirst && call.tier === 'vip' });
  }
  return offers;
}
