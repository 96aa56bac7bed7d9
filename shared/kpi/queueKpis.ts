import type { QueueCallFact, QueueThresholds } from './facts';
import { ratio, sum } from './stats';

/**
 * Queue KPIs over a set of queued calls (issue 12 item 1). Definitions (also the tooltips, see
 * `definitions.ts`); T = the queue's service level threshold, S = its short-abandon threshold:
 *
 * - offered: calls that entered the queue (a call turned away because the queue was closed is
 *   counted in `closed`, not offered).
 * - answered: offered calls an agent answered. abandoned: the caller hung up while waiting after at
 *   least S seconds; shortAbandoned: hung up before S seconds (counted apart; excluded from service
 *   level and abandon rate: mostly misdials and callers who changed their mind).
 *   overflowed: left for the overflow target (max wait or attempt cap).
 * - service level = answered within T / (answered + abandoned after T). Variant chosen: callers who
 *   hung up within T are left out of both sides: the queue did not fail them (the target had not
 *   been missed yet), and counting them would reward slow answering (a caller who gives up at 10 s
 *   of a 20 s target would count as a failure for a queue that was on track). Abandons after T
 *   count as misses. Overflowed calls are left out (they are handled elsewhere; shown on their
 *   own). Calls still waiting are not counted until they end. Boundaries: wait ≤ T is "within T";
 *   wait < S is a short abandon.
 * - ASA (average speed of answer) = total wait of answered calls / answered.
 * - waiting now, longest wait now = now − entry time of the oldest call still waiting.
 * - AHT = (talk + hold + wrap-up) / handled calls, where handled = answered calls whose interaction
 *   the agent's desktop has logged (a call still in progress has no handling time yet).
 *   Average talk, hold and wrap-up use the same denominator (a call never held counts 0 hold).
 * - transfers: answered calls the agent transferred.
 * - abandon rate = abandoned (not short) / (offered − short abandons).
 * - calls per agent = answered / agents who answered at least one call.
 * Every ratio is null when its denominator is 0 (shown as "—").
 */
export interface QueueKpis {
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  overflowed: number;
  closed: number;
  answeredWithinT: number;
  abandonedAfterT: number;
  /** 0..1 */
  serviceLevel: number | null;
  asaMs: number | null;
  waitingNow: number;
  longestWaitNowMs: number | null;
  handled: number;
  ahtMs: number | null;
  avgTalkMs: number | null;
  avgHoldMs: number | null;
  avgWrapUpMs: number | null;
  transfers: number;
  /** 0..1 */
  abandonRate: number | null;
  callsPerAgent: number | null;
}

/** The queue KPIs of `calls` (any mix of queues sharing `thresholds`) at time `now`. */
export function queueKpis(calls: readonly QueueCallFact[], thresholds: QueueThresholds, now: number): QueueKpis {
  const t = thresholds.slTargetSec * 1000;
  const s = thresholds.shortAbandonSec * 1000;
  let offered = 0;
  let answered = 0;
  let abandoned = 0;
  let shortAbandoned = 0;
  let overflowed = 0;
  let closed = 0;
  let answeredWithinT = 0;
  let abandonedAfterT = 0;
  let answerWait = 0;
  let waitingNow = 0;
  let oldest = Infinity;
  let transfers = 0;
  const talk: number[] = [];
  const hold: number[] = [];
  const wrap: number[] = [];
  const agents = new Set<string>();
  for (const c of calls) {
    if (c.outcome === 'closed') {
      closed++;
      continue;
    }
    offered++;
    const wait = c.waitMs ?? 0;
    switch (c.outcome) {
      case 'waiting':
        waitingNow++;
        oldest = Math.min(oldest, c.enteredAt);
        break;
      case 'answered':
        answered++;
        answerWait += wait;
        if (wait <= t) answeredWithinT++;
        if (c.agentId) agents.add(c.agentId);
        if (c.transferred) transfers++;
        if (c.talkMs !== null) {
          talk.push(c.talkMs);
          hold.push(c.holdMs ?? 0);
          wrap.push(c.wrapUpMs ?? 0);
        }
        break;
      case 'abandoned':
        if (wait < s) shortAbandoned++;
        else abandoned++;
        if (wait > t) abandonedAfterT++;
        break;
      case 'overflowed':
        overflowed++;
        break;
    }
  }
  const handled = talk.length;
  const talkSum = sum(talk);
  const holdSum = sum(hold);
  const wrapSum = sum(wrap);
  return {
    offered,
    answered,
    abandoned,
    shortAbandoned,
    overflowed,
    closed,
    answeredWithinT,
    abandonedAfterT,
    serviceLevel: ratio(answeredWithinT, answered + abandonedAfterT),
    asaMs: ratio(answerWait, answered),
    waitingNow,
    longestWaitNowMs: waitingNow === 0 ? null : Math.max(0, now - oldest),
    handled,
    ahtMs: ratio(talkSum + holdSum + wrapSum, handled),
    avgTalkMs: ratio(talkSum, handled),
    avgHoldMs: ratio(holdSum, handled),
    avgWrapUpMs: ratio(wrapSum, handled),
    transfers,
    abandonRate: ratio(abandoned, offered - shortAbandoned),
    callsPerAgent: ratio(answered, agents.size),
  };
}
