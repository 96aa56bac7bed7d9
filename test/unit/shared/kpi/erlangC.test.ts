import { describe, expect, it } from 'vitest';
import { agentsNeeded, erlangC, erlangs, staffingFigures, StaffingInputError } from '../../../../shared/kpi/erlangC';

describe('Erlang C staffing calculator', () => {
  it('the issue vector: 360 calls / 30 min at AHT 240 s (48 Erlangs), 80% in 20 s -> 54 agents, SL 81.7%, ASA 12.0 s, P(wait) 30.1%', () => {
    const r = agentsNeeded({ calls: 360, intervalSec: 1800, ahtSec: 240, targetSl: 0.8, targetSec: 20 });
    expect(r.erlangs).toBe(48);
    expect(r.agents).toBe(54);
    expect(r.scheduled).toBe(54);
    expect(r.serviceLevel).toBeCloseTo(0.817, 3);
    // ASA = P(wait)·AHT/(N−A) = 0.3013·240/6 = 12.05 s: the "≈ 12.0 s" within its rounding.
    expect(Math.abs(r.asaSec - 12.0)).toBeLessThan(0.1);
    expect(r.asaSec).toBeCloseTo((r.pWait * 240) / 6, 10);
    expect(r.pWait).toBeCloseTo(0.301, 3);
    expect(r.occupancy).toBeCloseTo(48 / 54, 10);
    // 53 agents miss the target, which is why 54 is the answer.
    expect(staffingFigures(53, 48, 240, 20).serviceLevel).toBeLessThan(0.8);
  });

  it('a vector small enough to do by hand: A = 1 Erlang, 2 agents -> B = 0.2, C = 1/3', () => {
    // B(1) = 1/(1+1) = 0.5; B(2) = 0.5/(2+0.5) = 0.2; C = 2·0.2 / (2 − 1·0.8) = 1/3.
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    const f = staffingFigures(2, 1, 100, 0);
    expect(f.serviceLevel).toBeCloseTo(2 / 3, 12); // T = 0: only callers who never wait
    expect(f.asaSec).toBeCloseTo(100 / 3, 10); // C·AHT/(N−A)
    expect(staffingFigures(2, 1, 100, 100).serviceLevel).toBeCloseTo(1 - Math.exp(-1) / 3, 12);
  });

  it('shrinkage raises the agents to schedule: 54 / (1 − 0.3) -> 78', () => {
    const r = agentsNeeded({ calls: 360, intervalSec: 1800, ahtSec: 240, targetSl: 0.8, targetSec: 20, shrinkage: 0.3 });
    expect(r.agents).toBe(54);
    expect(r.scheduled).toBe(78);
  });

  it('edge cases: no calls, too few agents, thousands of agents without overflow', () => {
    expect(agentsNeeded({ calls: 0, intervalSec: 900, ahtSec: 180, targetSl: 0.8, targetSec: 20 })).toMatchObject({ agents: 0, scheduled: 0, serviceLevel: 1, asaSec: 0 });
    expect(staffingFigures(48, 48, 240, 20)).toMatchObject({ pWait: 1, serviceLevel: 0, asaSec: Infinity, occupancy: 1 });
    expect(erlangs(36_000, 1800, 240)).toBe(4800);
    const big = agentsNeeded({ calls: 36_000, intervalSec: 1800, ahtSec: 240, targetSl: 0.9, targetSec: 15 });
    expect(big.agents).toBeGreaterThan(4800);
    expect(big.agents).toBeLessThan(4900);
    expect(Number.isFinite(big.pWait)).toBe(true);
  });

  it('bad input is refused with the field named', () => {
    const base = { calls: 100, intervalSec: 1800, ahtSec: 240, targetSl: 0.8, targetSec: 20 };
    for (const [field, value] of [['calls', -1], ['intervalSec', 0], ['ahtSec', Number.NaN], ['targetSl', 1], ['targetSec', -5], ['shrinkage', 1]] as const) {
      const run = () => agentsNeeded({ ...base, [field]: value });
      expect(run).toThrow(StaffingInputError);
      expect(run).toThrow(new RegExp(`^${field} `));
    }
    expect(() => agentsNeeded({ ...base, calls: 1e6, maxAgents: 50 })).toThrow(/more than 50 agents/);
  });
});
