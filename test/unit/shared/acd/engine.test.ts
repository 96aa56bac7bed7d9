import { describe, expect, it } from 'vitest';
import { AcdEngine, MAX_ATTEMPTS, type AcdQueueLimits } from '../../../../shared/acd/engine';

/** Scenario tests: fixed scripts of calls and agent states, run through the ACD engine (server time in ms). */

function queue(over: Partial<Omit<AcdQueueLimits, 'members'>> & { members: Record<string, number> }): AcdQueueLimits {
  const { members, ...rest } = over;
  return { id: 'sales', priority: 0, policy: 'longest-idle', widenAfterSec: 10, ownerFirstSec: 0, vipFirst: true, maxWaitSec: 0, ...rest, members: new Map(Object.entries(members)) };
}

function engineWith(q: AcdQueueLimits | AcdQueueLimits[]): AcdEngine {
  const e = new AcdEngine();
  e.setQueues(Array.isArray(q) ? q : [q]);
  return e;
}

const enter = (e: AcdEngine, callId: string, at: number, more: { tier?: 'vip' | 'normal'; ownerId?: string | null; queueId?: string } = {}) =>
  e.enter({ callId, queueId: more.queueId ?? 'sales', at, tier: more.tier ?? 'normal', ownerId: more.ownerId ?? null });

describe('ACD scenarios', () => {
  it('longest idle: each call goes to the agent ready the longest, one call per agent', () => {
    const e = engineWith(queue({ members: { a: 5, b: 5, c: 5 } }));
    e.agentState('a', 'ready', 'not-ready', 1_000);
    e.agentState('b', 'ready', 'not-ready', 500);
    e.agentState('c', 'ready', 'not-ready', 2_000);
    enter(e, 'call-1', 3_000);
    enter(e, 'call-2', 3_100);
    expect(e.route(3_200)).toEqual([
      { callId: 'call-1', agentId: 'b', reason: 'longest-idle', vip: false },
      { callId: 'call-2', agentId: 'a', reason: 'longest-idle', vip: false },
    ]);
    enter(e, 'call-3', 3_300);
    expect(e.route(3_400)).toEqual([{ callId: 'call-3', agentId: 'c', reason: 'longest-idle', vip: false }]);
    enter(e, 'call-4', 3_500);
    expect(e.route(3_600)).toEqual([]);
    // b's call ends: b is idle from then on and gets the next call.
    e.answered('call-1', 'b');
    e.remove('call-1', 4_000);
    expect(e.route(4_100)).toEqual([{ callId: 'call-4', agentId: 'b', reason: 'longest-idle', vip: false }]);
  });

  it('an agent in wrap-up, not ready, ringing elsewhere or logged out is never offered a call', () => {
    const e = engineWith(queue({ members: { a: 5, b: 5, c: 5, d: 5 } }));
    e.agentState('a', 'wrap-up', 'on-call', 0);
    e.agentState('b', 'not-ready', 'ready', 0);
    e.agentState('c', 'ringing', 'ready', 0);
    e.agentState('d', 'logged-out', 'ready', 0);
    enter(e, 'call-1', 10);
    expect(e.route(20)).toEqual([]);
    e.agentState('a', 'ready', 'wrap-up', 30);
    expect(e.route(40)).toEqual([{ callId: 'call-1', agentId: 'a', reason: 'longest-idle', vip: false }]);
  });

  it('skills: best level first, one level lower joins every widenAfterSec', () => {
    const e = engineWith(queue({ policy: 'skills', widenAfterSec: 10, members: { expert: 9, good: 7, junior: 5 } }));
    e.agentState('expert', 'on-call', 'ready', 0);
    e.agentState('good', 'ready', 'not-ready', 0);
    e.agentState('junior', 'ready', 'not-ready', 0);
    enter(e, 'call-1', 1_000);
    expect(e.route(1_000)).toEqual([]); // only level 9 eligible, busy
    expect(e.route(11_000)).toEqual([]); // level 8: nobody
    expect(e.route(21_000)).toEqual([{ callId: 'call-1', agentId: 'good', reason: 'skill', vip: false }]); // level 7: good, not junior
  });

  it('skills: the expert gets the call at once when free, before anyone less skilled', () => {
    const e = engineWith(queue({ policy: 'skills', members: { expert: 9, good: 7 } }));
    e.agentState('good', 'ready', 'not-ready', 0);
    e.agentState('expert', 'ready', 'not-ready', 5_000);
    enter(e, 'call-1', 6_000);
    expect(e.route(6_000)).toEqual([{ callId: 'call-1', agentId: 'expert', reason: 'skill', vip: false }]);
  });

  it('owner first: offered to the available owner even if others were idle longer', () => {
    const e = engineWith(queue({ ownerFirstSec: 30, members: { owner: 5, other: 5 } }));
    e.agentState('other', 'ready', 'not-ready', 0);
    e.agentState('owner', 'ready', 'not-ready', 1_000);
    enter(e, 'call-1', 2_000, { ownerId: 'owner' });
    expect(e.route(2_000)).toEqual([{ callId: 'call-1', agentId: 'owner', reason: 'owner', vip: false }]);
  });

  it('owner first: waits for a busy owner up to ownerFirstSec, then falls back to anyone', () => {
    const e = engineWith(queue({ ownerFirstSec: 30, members: { owner: 5, other: 5 } }));
    e.agentState('other', 'ready', 'not-ready', 0);
    e.agentState('owner', 'on-call', 'ready', 0);
    enter(e, 'call-1', 1_000, { ownerId: 'owner' });
    enter(e, 'call-2', 1_500);
    // The owner's caller waits; the next caller is not held up by it.
    expect(e.route(2_000)).toEqual([{ callId: 'call-2', agentId: 'other', reason: 'longest-idle', vip: false }]);
    e.answered('call-2', 'other');
    e.remove('call-2', 5_000);
    expect(e.route(20_000)).toEqual([]);
    expect(e.route(31_000)).toEqual([{ callId: 'call-1', agentId: 'other', reason: 'longest-idle', vip: false }]);
  });

  it('owner first: an owner busy who frees up within the window gets the call', () => {
    const e = engineWith(queue({ ownerFirstSec: 30, members: { owner: 5, other: 5 } }));
    e.agentState('owner', 'on-call', 'ready', 0);
    enter(e, 'call-1', 1_000, { ownerId: 'owner' });
    e.agentState('other', 'ready', 'not-ready', 1_500);
    expect(e.route(2_000)).toEqual([]);
    e.agentState('owner', 'ready', 'wrap-up', 10_000);
    expect(e.route(10_000)).toEqual([{ callId: 'call-1', agentId: 'owner', reason: 'owner', vip: false }]);
  });

  it('owner first: an owner not ready (or not a member) is skipped at once', () => {
    const e = engineWith(queue({ ownerFirstSec: 30, members: { owner: 5, other: 5 } }));
    e.agentState('other', 'ready', 'not-ready', 0);
    e.agentState('owner', 'not-ready', 'ready', 0);
    enter(e, 'call-1', 1_000, { ownerId: 'owner' });
    enter(e, 'call-2', 1_100, { ownerId: 'stranger' });
    expect(e.route(1_000)).toEqual([{ callId: 'call-1', agentId: 'other', reason: 'longest-idle', vip: false }]);
  });

  it('VIP callers go ahead of earlier callers, when the queue says so', () => {
    const e = engineWith([queue({ members: { a: 5 } }), queue({ id: 'plain', vipFirst: false, members: { b: 5 } })]);
    enter(e, 'normal-1', 1_000);
    enter(e, 'vip-1', 2_000, { tier: 'vip' });
    enter(e, 'normal-2', 1_000, { queueId: 'plain' });
    enter(e, 'vip-2', 2_000, { queueId: 'plain', tier: 'vip' });
    e.agentState('a', 'ready', 'not-ready', 3_000);
    e.agentState('b', 'ready', 'not-ready', 3_000);
    expect(e.route(3_000)).toEqual([
      { callId: 'vip-1', agentId: 'a', reason: 'longest-idle', vip: true },
      { callId: 'normal-2', agentId: 'b', reason: 'longest-idle', vip: false },
    ]);
  });

  it('queue priority: an agent in two queues takes the higher-priority queue first', () => {
    const e = engineWith([queue({ id: 'low', priority: 1, members: { a: 5 } }), queue({ id: 'high', priority: 5, members: { a: 5 } })]);
    enter(e, 'low-1', 1_000, { queueId: 'low' });
    enter(e, 'high-1', 2_000, { queueId: 'high' });
    e.agentState('a', 'ready', 'not-ready', 3_000);
    expect(e.route(3_000).map((o) => o.callId)).toEqual(['high-1']);
  });

  it('RONA: no answer makes the agent missed and re-offers the call at its original position', () => {
    const e = engineWith(queue({ members: { a: 5, b: 5 } }));
    e.agentState('a', 'ready', 'not-ready', 0);
    enter(e, 'call-1', 1_000);
    enter(e, 'call-2', 2_000);
    expect(e.route(2_000)).toEqual([{ callId: 'call-1', agentId: 'a', reason: 'longest-idle', vip: false }]);
    e.noAnswer('call-1', 'a');
    expect(e.agent('a')!.missed).toBe(true);
    // The desktop's own end of the unanswered ring (ringing -> ready) does not make a available.
    e.agentState('a', 'ready', 'ringing', 17_000);
    expect(e.route(17_000)).toEqual([]);
    // b arrives: call-1 (entered first) gets b, not call-2.
    e.agentState('b', 'ready', 'not-ready', 18_000);
    expect(e.route(18_000)).toEqual([{ callId: 'call-1', agentId: 'b', reason: 'longest-idle', vip: false }]);
    expect(e.call('call-1')!.attempts).toBe(2);
    // a chooses ready again: available.
    e.agentState('a', 'not-ready', 'ready', 19_000);
    e.agentState('a', 'ready', 'not-ready', 20_000);
    expect(e.route(20_000)).toEqual([{ callId: 'call-2', agentId: 'a', reason: 'longest-idle', vip: false }]);
  });

  it('abandon while ringing releases the agent; overdue calls leave at max wait or out of attempts', () => {
    const e = engineWith(queue({ maxWaitSec: 60, members: { a: 5 } }));
    e.agentState('a', 'ready', 'not-ready', 0);
    enter(e, 'call-1', 1_000);
    enter(e, 'call-2', 2_000);
    expect(e.route(2_000).map((o) => o.callId)).toEqual(['call-1']);
    e.remove('call-1');
    expect(e.agent('a')!.callId).toBeNull();
    expect(e.overdue(61_000)).toEqual([]);
    e.agentState('a', 'not-ready', 'ready', 61_500);
    expect(e.overdue(62_000).map((o) => [o.call.callId, o.why])).toEqual([['call-2', 'max-wait']]);
    expect(e.allCalls()).toEqual([]);
    const tired = e.enter({ callId: 'call-3', queueId: 'sales', at: 70_000, tier: 'normal', ownerId: null, attempts: MAX_ATTEMPTS });
    expect(e.overdue(70_000)).toEqual([{ call: tired, why: 'attempts' }]);
  });
});
