import { describe, expect, it } from 'vitest';
import { agentTime, callsByAgent } from '../../../../shared/kpi/agentKpis';
import { bucketLabel, bucketStart, bucketStarts, checkTimeZone, nextBucket } from '../../../../shared/kpi/buckets';
import { complaintResolution, csat, firstContactResolution, FCR_WINDOW_MS } from '../../../../shared/kpi/customerKpis';
import { formatKpi, KPI_DEFINITIONS } from '../../../../shared/kpi/definitions';
import type { QueueCallFact, TicketFact } from '../../../../shared/kpi/facts';
import { queueKpis } from '../../../../shared/kpi/queueKpis';
import { median, percentile } from '../../../../shared/kpi/stats';
import { RESOURCES } from '../../../../shared/i18n';

const T0 = Date.UTC(2026, 11, 1, 1, 0); // 09:00 in Shanghai
const th = { slTargetSec: 20, slTargetPct: 80, shortAbandonSec: 5 };

function call(id: string, over: Partial<QueueCallFact>): QueueCallFact {
  return { callId: id, queueId: 'sales', enteredAt: T0, outcome: 'answered', waitMs: 0, agentId: 'a1', caller: null, transferred: false, talkMs: null, holdMs: null, wrapUpMs: null, ...over };
}

describe('queue KPIs (hand-computed vectors)', () => {
  // 10 calls: 6 answered (waits 5, 10, 20, 21, 30, 60 s), 2 abandoned after 8 s and 25 s,
  // 1 short abandon at 3 s, 1 overflowed; plus 1 closed and 2 still waiting.
  const calls: QueueCallFact[] = [
    call('1', { waitMs: 5000, agentId: 'a1', talkMs: 100_000, holdMs: 0, wrapUpMs: 20_000 }),
    call('2', { waitMs: 10_000, agentId: 'a1', talkMs: 200_000, holdMs: 30_000, wrapUpMs: 10_000, transferred: true }),
    call('3', { waitMs: 20_000, agentId: 'a2', talkMs: 60_000, holdMs: 0, wrapUpMs: 0 }),
    call('4', { waitMs: 21_000, agentId: 'a2' }), // not logged yet: no handling time
    call('5', { waitMs: 30_000, agentId: 'a3', talkMs: 40_000, holdMs: 10_000, wrapUpMs: 30_000 }),
    call('6', { waitMs: 60_000, agentId: 'a3', talkMs: 0, holdMs: 0, wrapUpMs: 0 }),
    call('7', { outcome: 'abandoned', waitMs: 8000, agentId: null }),
    call('8', { outcome: 'abandoned', waitMs: 25_000, agentId: null }),
    call('9', { outcome: 'abandoned', waitMs: 3000, agentId: null }),
    call('10', { outcome: 'overflowed', waitMs: 600_000, agentId: null }),
    call('11', { outcome: 'closed', waitMs: null, agentId: null }),
    call('12', { outcome: 'waiting', waitMs: null, agentId: null, enteredAt: T0 + 100_000 }),
    call('13', { outcome: 'waiting', waitMs: null, agentId: null, enteredAt: T0 + 130_000 }),
  ];
  const k = queueKpis(calls, th, T0 + 145_000);

  it('counts', () => {
    expect(k).toMatchObject({ offered: 12, answered: 6, abandoned: 2, shortAbandoned: 1, overflowed: 1, closed: 1, waitingNow: 2, transfers: 1, handled: 5 });
  });

  it('service level = within T / (answered + abandoned after T): 3 / (6 + 1) — the 8 s and 3 s abandons are left out', () => {
    expect(k.answeredWithinT).toBe(3); // 5, 10 and 20 s (20 s is within T)
    expect(k.abandonedAfterT).toBe(1); // 25 s
    expect(k.serviceLevel).toBeCloseTo(3 / 7, 12);
    expect(formatKpi('serviceLevel', k.serviceLevel)).toBe('42.9%');
  });

  it('ASA, AHT and its parts, abandon rate, calls per agent, longest wait', () => {
    expect(k.asaMs).toBe((5 + 10 + 20 + 21 + 30 + 60) * 1000 / 6);
    // handled: calls 1, 2, 3, 5, 6 -> talk 400 s, hold 40 s, wrap 60 s
    expect(k.ahtMs).toBe(500_000 / 5);
    expect(k.avgTalkMs).toBe(80_000);
    expect(k.avgHoldMs).toBe(8000);
    expect(k.avgWrapUpMs).toBe(12_000);
    expect(k.abandonRate).toBeCloseTo(2 / 11, 12); // 2 / (12 offered - 1 short)
    expect(k.callsPerAgent).toBe(2);
    expect(k.longestWaitNowMs).toBe(45_000);
    expect(formatKpi('asaMs', k.asaMs)).toBe('0:24');
    expect(formatKpi('ahtMs', k.ahtMs)).toBe('1:40');
  });

  it('nothing to measure gives null, shown as —', () => {
    const none = queueKpis([], th, T0);
    expect(none).toMatchObject({ offered: 0, serviceLevel: null, asaMs: null, ahtMs: null, abandonRate: null, callsPerAgent: null, longestWaitNowMs: null });
    expect(formatKpi('serviceLevel', none.serviceLevel)).toBe('—');
    expect(formatKpi('offered', 0)).toBe('0');
    expect(formatKpi('ahtMs', 3_723_000)).toBe('1:02:03');
    expect(formatKpi('callsPerAgent', 2.25)).toBe('2.3');
  });

  it('calls by agent', () => {
    const m = callsByAgent(calls);
    expect([...m.keys()].sort()).toEqual(['a1', 'a2', 'a3']);
    expect(queueKpis(m.get('a3')!, th, T0).ahtMs).toBe(40_000);
  });
});

describe('agent time, occupancy, utilisation', () => {
  it('splits state time within the window, by not-ready reason, with the state in force before the window', () => {
    const m = 60_000;
    const events = [
      { agentId: 'a1', state: 'ready', reason: null, at: T0 - 10 * m }, // in force at the window start
      { agentId: 'a1', state: 'on-call', reason: null, at: T0 + 10 * m },
      { agentId: 'a1', state: 'wrap-up', reason: null, at: T0 + 20 * m },
      { agentId: 'a1', state: 'not-ready', reason: 'lunch', at: T0 + 25 * m },
      { agentId: 'a1', state: 'not-ready', reason: 'break', at: T0 + 55 * m },
      { agentId: 'a1', state: 'logged-out', reason: null, at: T0 + 58 * m },
    ];
    const a = agentTime(events, T0, T0 + 60 * m, T0 + 90 * m).get('a1')!;
    expect(a.byState).toEqual({ ready: 10 * m, 'on-call': 10 * m, 'wrap-up': 5 * m, 'not-ready': 33 * m, 'logged-out': 2 * m });
    expect(a.notReadyByReason).toEqual({ lunch: 30 * m, break: 3 * m });
    expect(a.handlingMs).toBe(15 * m);
    expect(a.loggedInMs).toBe(58 * m);
    expect(a.occupancy).toBeCloseTo(15 / 25, 12);
    expect(a.utilisation).toBeCloseTo(15 / 58, 12);
    expect(a.current).toEqual({ state: 'logged-out', reason: null, since: T0 + 58 * m });
  });

  it('the open state ends at now', () => {
    const a = agentTime([{ agentId: 'b', state: 'ready', reason: null, at: T0 }], T0, T0 + 3_600_000, T0 + 60_000).get('b')!;
    expect(a.byState).toEqual({ ready: 60_000 });
    expect(a.occupancy).toBe(0);
  });
});

describe('first-contact resolution, complaint resolution, CSAT', () => {
  const day = 86_400_000;
  it('a repeat call within 7 days spoils the first; calls younger than 7 days wait; anonymous ones are left out', () => {
    const calls = [
      call('r1', { caller: '+861', enteredAt: T0 }),
      call('r2', { caller: '+861', enteredAt: T0 + 3 * day, outcome: 'abandoned' }), // the repeat
      call('r3', { caller: '+862', enteredAt: T0 }),
      call('r4', { caller: '+863', enteredAt: T0 }),
      call('r5', { caller: null, enteredAt: T0 }),
    ];
    const later = [call('r6', { caller: '+863', enteredAt: T0 + FCR_WINDOW_MS + 1 })]; // just after the window: not a repeat
    expect(firstContactResolution(calls, later, T0 + 10 * day)).toEqual({ rate: 2 / 3, resolved: 2, counted: 3, pending: 0 });
    expect(firstContactResolution(calls, later, T0 + 2 * day)).toEqual({ rate: null, resolved: 0, counted: 0, pending: 3 });
  });

  it('median, p90 and SLA breaches of complaints by category; CSAT', () => {
    const h = 3_600_000;
    const t = (id: string, category: string, hours: number | null, dueHours: number, satisfaction: number | null = null, type = 'complaint'): TicketFact => ({
      id, type, category, priority: 'P2', createdAt: T0, dueAt: T0 + dueHours * h, resolvedAt: hours === null ? null : T0 + hours * h, satisfaction,
    });
    const tickets = [t('1', 'billing', 1, 4, 5), t('2', 'billing', 2, 4, 4), t('3', 'billing', 6, 4, 2), t('4', 'billing', 3, 4), t('5', 'network', null, 4), t('6', 'x', 1, 1, 1, 'inquiry')];
    const r = complaintResolution(tickets, T0 + 5 * h);
    expect(r.all).toEqual({ created: 5, resolved: 4, medianMs: 2.5 * h, p90Ms: 6 * h, slaBreaches: 2 }); // ticket 3 late, ticket 5 open past due
    expect(r.byCategory.billing).toEqual({ created: 4, resolved: 4, medianMs: 2.5 * h, p90Ms: 6 * h, slaBreaches: 1 });
    expect(r.byCategory.network).toEqual({ created: 1, resolved: 0, medianMs: null, p90Ms: null, slaBreaches: 1 });
    expect(csat(tickets)).toEqual({ rate: 2 / 4, ratings: 4 });
    expect(median([3, 1, 2])).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
  });
});

describe('report periods in the centre time zone', () => {
  it('intervals, days, weeks (Monday) and months in Asia/Shanghai', () => {
    const tz = 'Asia/Shanghai';
    const at = Date.UTC(2026, 11, 3, 1, 52); // Thu 2026-12-03 09:52 in Shanghai
    expect(bucketLabel(bucketStart(at, 'interval', tz), 'interval', tz)).toBe('2026-12-03 09:45');
    expect(bucketStart(at, 'day', tz)).toBe(Date.UTC(2026, 11, 2, 16, 0));
    expect(bucketLabel(bucketStart(at, 'week', tz), 'week', tz)).toBe('2026-11-30');
    expect(bucketLabel(bucketStart(at, 'month', tz), 'month', tz)).toBe('2026-12');
    expect(bucketLabel(nextBucket(bucketStart(at, 'month', tz), 'month', tz), 'month', tz)).toBe('2027-01');
    expect(bucketStarts(Date.UTC(2026, 11, 2, 16), Date.UTC(2026, 11, 3, 16), 'interval', tz)).toHaveLength(96);
  });

  it('a day with a clock change has 23 hours (Europe/Berlin, 2026-03-29)', () => {
    const tz = 'Europe/Berlin';
    const start = bucketStart(Date.UTC(2026, 2, 29, 12), 'day', tz);
    expect(nextBucket(start, 'day', tz) - start).toBe(23 * 3_600_000);
    expect(bucketStarts(start, nextBucket(start, 'day', tz), 'interval', tz)).toHaveLength(92);
  });

  it('an unknown time zone or too many periods is refused clearly', () => {
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
    expect(() => bucketStarts(0, 400 * 86_400_000, 'interval', 'UTC', 1000)).toThrow(/more than 1000 periods/);
  });
});

describe('KPI definitions', () => {
  it('every KPI has a label and a formula tooltip in both languages', () => {
    for (const lng of ['en-US', 'zh-CN'] as const) {
      const kpi = (RESOURCES[lng] as unknown as { supervisor: { kpi: Record<string, { label: string; tip: string }> } }).supervisor.kpi;
      for (const d of KPI_DEFINITIONS) {
        expect(kpi[d.id]?.label, `${lng} ${d.id}`).toBeTruthy();
        expect(kpi[d.id]?.tip, `${lng} ${d.id}`).toBeTruthy();
      }
    }
  });
});

describe('first-contact resolution across report rows', () => {
  it('a repeat in another queue or period of the range counts (one index over the whole range)', async () => {
    const { callerIndex, firstContactResolutionIn } = await import('../../../../shared/kpi/customerKpis');
    const day = 86_400_000;
    const salesRow = [call('s1', { caller: '+861', enteredAt: T0 }), call('s2', { caller: '+862', enteredAt: T0 })];
    const supportNextDay = [call('p1', { queueId: 'support', caller: '+861', enteredAt: T0 + day, outcome: 'abandoned' })];
    const index = callerIndex([salesRow, supportNextDay]);
    expect(firstContactResolutionIn(salesRow, index, T0 + 30 * day)).toEqual({ rate: 0.5, resolved: 1, counted: 2, pending: 0 });
  });
});
