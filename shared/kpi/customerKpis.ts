import type { QueueCallFact, TicketFact } from './facts';
import { groupBy } from './group';
import { median, percentile, ratio } from './stats';

/** The repeat-call window of first-contact resolution. */
export const FCR_WINDOW_MS = 7 * 86_400_000;

/**
 * First-contact resolution = answered calls with no repeat call from the same caller number within
 * 7 days after / answered calls whose 7 days are over. A repeat is any later call from that number
 * to any queue (answered or not). Anonymous calls are left out (no way to see a repeat). Calls
 * younger than 7 days are left out until their window closes, so the figure never changes after
 * the fact; `pending` says how many wait. Pass the calls up to 7 days after the period as `later`.
 */
export function firstContactResolution(calls: readonly QueueCallFact[], later: readonly QueueCallFact[], now: number): FcrFigures {
  return firstContactResolutionIn(calls, callerIndex([calls, later]), now);
}

/** First-contact resolution figures. */
export interface FcrFigures {
  rate: number | null;
  resolved: number;
  counted: number;
  pending: number;
}

/** When each caller number called (any queue, any outcome but `closed`), sorted: the repeat-call index. */
export function callerIndex(lists: ReadonlyArray<readonly QueueCallFact[]>): Map<string, number[]> {
  const byCaller = new Map<string, number[]>();
  for (const list of lists) {
    for (const c of list) {
      if (!c.caller || c.outcome === 'closed') continue;
      const at = byCaller.get(c.caller);
      if (at) at.push(c.enteredAt);
      else byCaller.set(c.caller, [c.enteredAt]);
    }
  }
  for (const at of byCaller.values()) at.sort((a, b) => a - b);
  return byCaller;
}

/**
 * First-contact resolution of `calls` against a repeat-call index built once over every call that
 * can be a repeat (the whole report range and the 7 days after it): a report row's figure sees
 * repeats in other periods and queues too.
 */
export function firstContactResolutionIn(calls: readonly QueueCallFact[], index: ReadonlyMap<string, readonly number[]>, now: number): FcrFigures {
  let counted = 0;
  let resolved = 0;
  let pending = 0;
  for (const c of calls) {
    if (c.outcome !== 'answered' || !c.caller) continue;
    if (c.enteredAt + FCR_WINDOW_MS > now) {
      pending++;
      continue;
    }
    counted++;
    const times = index.get(c.caller) ?? [];
    // First call strictly after this one (sorted: binary search).
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! <= c.enteredAt) lo = mid + 1;
      else hi = mid;
    }
    const next = times[lo];
    if (next === undefined || next > c.enteredAt + FCR_WINDOW_MS) resolved++;
  }
  return { rate: ratio(resolved, counted), resolved, counted, pending };
}

/** Resolution time figures of a group of tickets. */
export interface ResolutionFigures {
  /** Tickets created in the period. */
  created: number;
  resolved: number;
  medianMs: number | null;
  p90Ms: number | null;
  /** Resolved after their due time, or still open past it at `now`. */
  slaBreaches: number;
}

/**
 * Complaint resolution time: for complaint tickets created in the period, resolved time − created
 * time; median (mean of the two middle values for an even count) and p90 (nearest rank), overall
 * and by category ('' = none). SLA breach: resolved after the due time, or open past it at `now`.
 */
export function complaintResolution(tickets: readonly TicketFact[], now: number): { all: ResolutionFigures; byCategory: Record<string, ResolutionFigures> } {
  const complaints = tickets.filter((t) => t.type === 'complaint');
  const figures = (list: readonly TicketFact[]): ResolutionFigures => {
    const times = list.filter((t) => t.resolvedAt !== null).map((t) => t.resolvedAt! - t.createdAt);
    return {
      created: list.length,
      resolved: times.length,
      medianMs: median(times),
      p90Ms: percentile(times, 0.9),
      slaBreaches: list.filter((t) => (t.resolvedAt ?? now) > t.dueAt).length,
    };
  };
  const groups = groupBy(complaints, (t) => t.category);
  return { all: figures(complaints), byCategory: Object.fromEntries([...groups].map(([k, v]) => [k, figures(v)])) };
}

/** CSAT = ratings of 4 or 5 / all ratings (1..5 on tickets); null with no rating. */
export function csat(tickets: readonly TicketFact[]): { rate: number | null; ratings: number } {
  const rated = tickets.filter((t) => t.satisfaction !== null && t.satisfaction >= 1 && t.satisfaction <= 5);
  return { rate: ratio(rated.filter((t) => t.satisfaction! >= 4).length, rated.length), ratings: rated.length };
}
