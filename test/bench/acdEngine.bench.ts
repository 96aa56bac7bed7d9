import { describe, it } from 'vitest';
import { AcdEngine, type AcdQueueLimits } from '../../shared/acd/engine';
import { report, summarise } from './harness';

// The routing engine alone (no I/O): what one route() costs as agents, queues and waiting calls
// grow, for the 5,000-agent capacity plan in docs/acd.md. Each sample: one new call enters and
// route() runs (what the router does per Kamailio request), with W calls already waiting.
function scenario(agents: number, queues: number, membersPerAgent: number, waiting: number, freeShare: number) {
  const engine = new AcdEngine();
  const qs: AcdQueueLimits[] = Array.from({ length: queues }, (_, q) => ({
    id: `q${q}`,
    priority: 0,
    policy: q % 2 === 0 ? 'skills' : 'longest-idle',
    widenAfterSec: 20,
    ownerFirstSec: 10,
    vipFirst: true,
    maxWaitSec: 0,
    members: new Map<string, number>(),
  }));
  for (let a = 0; a < agents; a++) {
    for (let k = 0; k < membersPerAgent; k++) (qs[(a + k * 7) % queues]!.members as Map<string, number>).set(`a${a}`, 10 - (a % 3));
    // Only `freeShare` of the agents are ready; the rest are busy (not-ready stands for it here).
    engine.agentState(`a${a}`, a / agents < freeShare ? 'ready' : 'not-ready', 'not-ready', a);
  }
  engine.setQueues(qs);
  let n = 0;
  const t = 1_000_000;
  // Calls that find nobody: W waiting calls in queues whose members are all busy.
  for (let i = 0; i < waiting; i++) engine.enter({ callId: `w${i}`, queueId: `q${i % queues}`, at: t, tier: i % 10 === 0 ? 'vip' : 'normal', ownerId: null });
  for (const a of Array.from({ length: agents }, (_, i) => i)) if (a / agents < freeShare) engine.agentState(`a${a}`, 'not-ready', 'ready', t);
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const agent = `a${(n * 7919) % agents}`;
    engine.agentState(agent, 'ready', 'not-ready', t + i);
    const callId = `c${n++}`;
    const t0 = performance.now();
    engine.enter({ callId, queueId: `q${n % queues}`, at: t + i, tier: 'normal', ownerId: null });
    const offers = engine.route(t + i);
    samples.push(performance.now() - t0);
    for (const o of offers) {
      engine.answered(o.callId, o.agentId);
      engine.remove(o.callId, t + i);
      engine.agentState(o.agentId, 'not-ready', 'ready', t + i);
    }
    engine.agentState(agent, 'not-ready', 'ready', t + i);
  }
  return samples;
}

describe('ACD engine bench (no I/O)', () => {
  it('route() per new call as agents, queues and waiting calls grow', () => {
    const rows: Array<[string, number, number, number, number]> = [
      ['200 agents, 10 queues, 0 waiting', 200, 10, 2, 0],
      ['200 agents, 10 queues, 50 waiting', 200, 10, 2, 50],
      ['5,000 agents, 100 queues, 0 waiting', 5000, 100, 3, 0],
      ['5,000 agents, 100 queues, 500 waiting', 5000, 100, 3, 500],
      ['5,000 agents, 100 queues, 2,000 waiting', 5000, 100, 3, 2000],
    ];
    for (const [name, agents, queues, per, waiting] of rows) report(summarise(`acd engine route(): ${name}`, scenario(agents, queues, per, waiting, 0.1)));
  });
});
