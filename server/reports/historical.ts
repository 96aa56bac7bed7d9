import { agentTime, callsByAgent } from '../../shared/kpi/agentKpis';
import { bucketLabel, bucketStarts, checkTimeZone } from '../../shared/kpi/buckets';
import { callerIndex, complaintResolution, csat, FCR_WINDOW_MS, firstContactResolutionIn } from '../../shared/kpi/customerKpis';
import type { KpiId } from '../../shared/kpi/definitions';
import type { AgentStateFact, QueueCallFact, QueueThresholds, TicketFact } from '../../shared/kpi/facts';
import { groupBy } from '../../shared/kpi/group';
import { queueKpis } from '../../shared/kpi/queueKpis';
import type { Report, ReportQuery, ReportRow } from '../../shared/kpi/report';
import type { Queryable } from '../db/db';
import { loadAgentStates, loadQueueCalls, loadQueues, loadTickets } from './factsStore';
import { coversAgent, type SupervisorScope } from './scope';

const MIXED: QueueThresholds = { slTargetSec: 20, slTargetPct: 80, shortAbandonSec: 5 };

function queueValues(calls: QueueCallFact[], th: QueueThresholds, repeats: CallerIndex, now: number): Partial<Record<KpiId, number | null>> {
  const k = queueKpis(calls, th, now);
  return {
    offered: k.offered,
    answered: k.answered,
    abandoned: k.abandoned,
    shortAbandoned: k.shortAbandoned,
    overflowed: k.overflowed,
    serviceLevel: k.serviceLevel,
    asaMs: k.asaMs,
    ahtMs: k.ahtMs,
    avgTalkMs: k.avgTalkMs,
    avgHoldMs: k.avgHoldMs,
    avgWrapUpMs: k.avgWrapUpMs,
    transfers: k.transfers,
    abandonRate: k.abandonRate,
    callsPerAgent: k.callsPerAgent,
    fcr: firstContactResolutionIn(calls, repeats, now).rate,
  };
}

type CallerIndex = ReturnType<typeof callerIndex>;

function ticketValues(tickets: TicketFact[], now: number): Partial<Record<KpiId, number | null>> {
  const r = complaintResolution(tickets, now).all;
  return { complaintMedianMs: r.medianMs, complaintP90Ms: r.p90Ms, slaBreaches: r.slaBreaches, csat: csat(tickets).rate };
}

/**
 * A historical report in the centre's time zone: per queue (every queue KPI, FCR, plus complaint
 * tickets and CSAT on the total rows) or per agent (calls, AHT and its parts, occupancy,
 * utilisation, state time by state and not-ready reason). A queue with its own thresholds is
 * measured with them; a total over several queues uses each call's own queue thresholds.
 */
export async function buildReport(q: Queryable, scope: SupervisorScope, query: ReportQuery, now: number): Promise<Report> {
  checkTimeZone(query.timeZone);
  if (!(query.to > query.from)) throw new RangeError('"to" must be after "from"');
  const starts = bucketStarts(query.from, query.to, query.grain, query.timeZone);
  const allQueues = (await loadQueues(q)).filter((x) => scope.queues === null || scope.queues.has(x.id));
  const queues = query.queues.length > 0 ? allQueues.filter((x) => query.queues.includes(x.id)) : allQueues;
  const queueIds = queues.map((x) => x.id);
  const th = new Map(queues.map((x) => [x.id, x] as const));
  const calls = queueIds.length > 0 ? await loadQueueCalls(q, query.from, query.to, queueIds) : [];
  // Repeat calls (first-contact resolution) may come from any queue, in the range or within 7 days after it.
  const everyQueue = queueIds.length === 0 || (await loadQueues(q)).length === queueIds.length;
  const later = queueIds.length > 0 ? await loadQueueCalls(q, query.to, query.to + FCR_WINDOW_MS, null, 0, false) : [];
  const repeats = callerIndex([everyQueue ? calls : await loadQueueCalls(q, query.from, query.to, null, undefined, false), later]);
  // The period of a call: binary search in the period starts (no time-zone arithmetic per call).
  const periodOf = (at: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return starts[lo]!;
  };
  const label = (start: number) => bucketLabel(start, query.grain, query.timeZone);
  // Each call measured with its own queue's thresholds: SL/short-abandon counts are per queue,
  // so totals add the queue-level counts rather than re-reading mixed calls with one threshold.
  const measure = (list: QueueCallFact[]) => {
    const groups = groupBy(list, (c) => c.queueId);
    if (groups.size === 1) return queueValues(list, th.get(list[0]!.queueId) ?? MIXED, repeats, now);
    return combine([...groups].map(([id, l]) => ({ calls: l, th: th.get(id) ?? MIXED })), repeats, now);
  };
  const rows: ReportRow[] = [];
  const totals: ReportRow[] = [];
  let tickets: TicketFact[] = [];
  if (query.by === 'queue') {
    tickets = await loadTickets(q, query.from, query.to, scope.agents === null ? null : [...scope.agents]);
    const byPeriodQueue = groupBy(calls, (c) => `${periodOf(c.enteredAt)}|${c.queueId}`);
    for (const start of starts) {
      for (const queue of queues) {
        const list = byPeriodQueue.get(`${start}|${queue.id}`) ?? [];
        rows.push({ start, period: label(start), key: queue.id, values: queueValues(list, queue, repeats, now) });
      }
    }
    for (const queue of queues) totals.push({ start: query.from, period: '', key: queue.id, values: queueValues(calls.filter((c) => c.queueId === queue.id), queue, repeats, now) });
    totals.push({ start: query.from, period: '', key: '', values: { ...(calls.length > 0 ? measure(calls) : queueValues([], MIXED, repeats, now)), ...ticketValues(tickets, now) } });
  } else {
    const states = await loadAgentStates(q, query.from, query.to, scope.agents === null ? null : [...scope.agents]);
    const agentIds = [...new Set([...states.map((s) => s.agentId), ...calls.filter((c) => c.agentId).map((c) => c.agentId!)])].filter((id) => coversAgent(scope, id)).sort();
    const agentRow = (start: number, end: number, period: string, byAgent: Map<string, QueueCallFact[]>, st: AgentStateFact[], id: string): ReportRow => {
      const t = agentTime(st, start, end, now).get(id);
      const mine = byAgent.get(id) ?? [];
      const k = queueKpis(mine, MIXED, now);
      return {
        start,
        period,
        key: id,
        values: { answered: k.answered, ahtMs: k.ahtMs, avgTalkMs: k.avgTalkMs, avgHoldMs: k.avgHoldMs, avgWrapUpMs: k.avgWrapUpMs, transfers: k.transfers, occupancy: t?.occupancy ?? null, utilisation: t?.utilisation ?? null },
        stateMs: t?.byState ?? {},
        notReadyMs: t?.notReadyByReason ?? {},
      };
    };
    const statesOf = groupBy(states, (s) => s.agentId);
    const byPeriod = groupBy(calls, (c) => String(periodOf(c.enteredAt)));
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i]!;
      const end = Math.min(starts[i + 1] ?? query.to, query.to);
      const byAgent = callsByAgent(byPeriod.get(String(start)) ?? []);
      for (const id of agentIds) rows.push(agentRow(Math.max(start, query.from), end, label(start), byAgent, statesOf.get(id) ?? [], id));
    }
    const allByAgent = callsByAgent(calls);
    for (const id of agentIds) totals.push(agentRow(query.from, query.to, '', allByAgent, statesOf.get(id) ?? [], id));
  }
  return { query, rows, totals, complaintsByCategory: complaintResolution(tickets, now).byCategory };
}

/** Totals over several queues: counts add up, ratios are recomputed from the summed parts. */
function combine(groups: Array<{ calls: QueueCallFact[]; th: QueueThresholds }>, repeats: CallerIndex, now: number): Partial<Record<KpiId, number | null>> {
  const parts = groups.map((g) => queueKpis(g.calls, g.th, now));
  const s = (f: (k: (typeof parts)[number]) => number) => parts.reduce((a, k) => a + f(k), 0);
  const answered = s((k) => k.answered);
  const handled = s((k) => k.handled);
  const offered = s((k) => k.offered);
  const short = s((k) => k.shortAbandoned);
  const abandoned = s((k) => k.abandoned);
  const agents = new Set(groups.flatMap((g) => g.calls.filter((c) => c.outcome === 'answered' && c.agentId).map((c) => c.agentId!)));
  const r = (a: number, b: number) => (b === 0 ? null : a / b);
  const all = groups.flatMap((g) => g.calls);
  return {
    offered,
    answered,
    abandoned,
    shortAbandoned: short,
    overflowed: s((k) => k.overflowed),
    serviceLevel: r(s((k) => k.answeredWithinT), answered + s((k) => k.abandonedAfterT)),
    asaMs: r(s((k) => (k.asaMs ?? 0) * k.answered), answered),
    ahtMs: r(s((k) => (k.ahtMs ?? 0) * k.handled), handled),
    avgTalkMs: r(s((k) => (k.avgTalkMs ?? 0) * k.handled), handled),
    avgHoldMs: r(s((k) => (k.avgHoldMs ?? 0) * k.handled), handled),
    avgWrapUpMs: r(s((k) => (k.avgWrapUpMs ?? 0) * k.handled), handled),
    transfers: s((k) => k.transfers),
    abandonRate: r(abandoned, offered - short),
    callsPerAgent: r(answered, agents.size),
    fcr: firstContactResolutionIn(all, repeats, now).rate,
  };
}
