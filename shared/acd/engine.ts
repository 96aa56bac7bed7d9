import type { AgentState } from '../agent/state';
import { assignOffers, type AcdAgent, type AcdCall, type AcdQueue, type CallerTier, type Offer } from './policy';

/** Queue settings the engine needs beyond the policies. */
export interface AcdQueueLimits extends AcdQueue {
  /** 0: no limit. */
  maxWaitSec: number;
}

/** A call leaving the queue without an agent (max wait, too many attempts). */
export interface Overdue {
  call: AcdCall;
  why: 'max-wait' | 'attempts';
}

/** Offers per call before it leaves the queue (each costs SIP branches in Kamailio: docs/acd.md pitfall 3). */
export const MAX_ATTEMPTS = 12;

/**
 * The ACD's state (waiting calls, agents as the router sees them) and its moves, with no I/O and no
 * clock: every input carries the server time. The router (server/acd/router.ts) feeds it what
 * Kamailio and the desktops report and carries out what `route()` and `overdue()` return.
 *
 * ```
 *   enter -> waiting --route()--> offered --answered--> talking --ended--> (gone)
 *              ^                     |
 *              +---- noAnswer -------+   (agent marked missed; call keeps its position)
 *   waiting/offered --abandoned--> (gone);  waiting --overdue()--> (gone: overflow)
 * ```
 */
export class AcdEngine {
  private readonly calls = new Map<string, AcdCall>();
  private readonly agents = new Map<string, AcdAgent>();
  private queues = new Map<string, AcdQueueLimits>();
  private seq = 0;

  /** Replaces the queue configuration (calls of a removed queue stay until they leave). */
  setQueues(queues: Iterable<AcdQueueLimits>): void {
    this.queues = new Map([...queues].map((q) => [q.id, q]));
  }

  /** A queue by id. */
  queue(id: string): AcdQueueLimits | undefined {
    return this.queues.get(id);
  }

  /** A call by id. */
  call(callId: string): AcdCall | undefined {
    return this.calls.get(callId);
  }

  /** An agent by id. */
  agent(agentId: string): AcdAgent | undefined {
    return this.agents.get(agentId);
  }

  /** Calls in the engine (waiting, offered or talking). */
  allCalls(): AcdCall[] {
    return [...this.calls.values()];
  }

  /**
   * An agent's desktop reported a state. A `missed` agent becomes available again only by choosing
   * ready (a move to ready from anything but ringing: ringing -> ready is the desktop's own end of the
   * unanswered ring, not a choice).
   */
  agentState(agentId: string, state: AgentState, fromState: AgentState | null, at: number): void {
    const prev = this.agents.get(agentId);
    const agent: AcdAgent = prev ?? { id: agentId, state, callId: null, missed: false, idleSince: at };
    if (state === 'ready' && (prev?.state !== 'ready' || !prev)) agent.idleSince = at;
    if (state === 'ready' && fromState !== 'ringing') agent.missed = false;
    agent.state = state;
    this.agents.set(agentId, agent);
  }

  /** A call entered a queue (or is restored after a router failover with its seq and attempts). */
  enter(c: { callId: string; queueId: string; at: number; tier: CallerTier; ownerId: string | null; seq?: number; attempts?: number }): AcdCall {
    const existing = this.calls.get(c.callId);
    if (existing) return existing;
    const seq = c.seq ?? ++this.seq;
    this.seq = Math.max(this.seq, seq);
    const call: AcdCall = { callId: c.callId, queueId: c.queueId, seq, enteredAt: c.at, tier: c.tier, ownerId: c.ownerId, offeredTo: null, attempts: c.attempts ?? 0 };
    this.calls.set(c.callId, call);
    return call;
  }

  /** Waiting calls get agents: each offer reserves the agent and counts an attempt. */
  route(now: number): Offer[] {
    const offers = assignOffers(this.calls.values(), this.queues, this.agents, now);
    for (const o of offers) {
      const call = this.calls.get(o.callId)!;
      call.offeredTo = o.agentId;
      call.attempts += 1;
      this.agents.get(o.agentId)!.callId = o.callId;
    }
    return offers;
  }

  /** After a router failover: the call was ringing this agent when the previous router stopped. */
  restoreOffer(callId: string, agentId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    call.offeredTo = agentId;
    const agent = this.agents.get(agentId);
    if (agent) agent.callId = callId;
  }

  /** The offered agent did not answer (ring timeout, reject, unreachable): RONA. */
  noAnswer(callId: string, agentId: string | null): AcdCall | undefined {
    const call = this.calls.get(callId);
    const who = agentId ?? call?.offeredTo ?? null;
    if (who) {
      const agent = this.agents.get(who);
      if (agent && agent.callId === callId) {
        agent.callId = null;
        agent.missed = true;
      }
    }
    if (call) call.offeredTo = null;
    return call;
  }

  /** The offered agent answered: the call leaves the queue, the agent stays reserved until it ends. */
  answered(callId: string, agentId: string): AcdCall | undefined {
    const call = this.calls.get(callId);
    if (call) call.offeredTo = agentId;
    return call;
  }

  /** The caller hung up (while waiting or ringing an agent) or the call ended: releases the agent. */
  remove(callId: string, idleAt?: number): AcdCall | undefined {
    const call = this.calls.get(callId);
    if (!call) return undefined;
    this.calls.delete(callId);
    if (call.offeredTo) {
      const agent = this.agents.get(call.offeredTo);
      if (agent && agent.callId === callId) {
        agent.callId = null;
        if (idleAt !== undefined) agent.idleSince = idleAt;
      }
    }
    return call;
  }

  /** Waiting calls past their queue's max wait or out of attempts: removed and returned. */
  overdue(now: number): Overdue[] {
    const out: Overdue[] = [];
    for (const call of this.calls.values()) {
      if (call.offeredTo !== null) continue;
      const q = this.queues.get(call.queueId);
      if (call.attempts >= MAX_ATTEMPTS) out.push({ call, why: 'attempts' });
      else if (q && q.maxWaitSec > 0 && now - call.enteredAt >= q.maxWaitSec * 1000) out.push({ call, why: 'max-wait' });
    }
    for (const o of out) this.calls.delete(o.call.callId);
    return out;
  }
}
