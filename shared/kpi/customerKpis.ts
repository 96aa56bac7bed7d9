import type { QueueCallFact, TicketFact } from './facts';
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
export function firstContactResolution(calls: readonly QueueCallFact[], later: readonly QueueCallFact[], now: number): { rate: number | null; resolved: number; counted: number; pending: number } {
  const byCaller = new Map<string, number[]>();
  for (const c of [...calls, ...later]) {
    if (!c.caller || c.outcome === 'closed') continue;
    const list = byCaller.get(c.caller);
    if (list) list.push(c.enteredAt);
    else byCaller.set(c.caller, [c.enteredAt]);
  }
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
    const repeat = byCaller.get(c.caller)!.some((at) => at > c.enteredAt && at <= c.enteredAt + FCR_WINDOW_MS);
    if (!repeat) resolved++;
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
  const groups = new Map<string, TicketFact[]>();
  for (const t of complaints) groups.set(t.category, [...(groups.get(t.category) ?? []), t]);
  return { all: figures(complaints), byCategory: Object.fromEntries([...groups].map(([k, v]) => [k, figures(v)])) };
}

/** CSAT = ratings of 4 or 5 / all ratings (1..5 on tickets); null with no rating. */
export function csat(tickets: readonly TicketFact[]): { rate: number | null; ratings: number } {
  const rated = tickets.filter((t) => t.satisfaction !== null && t.satisfaction >= 1 && t.satisfaction <= 5);
  return { rate: ratio(rated.filter((t) => t.satisfaction! >= 4).length, rated.length), ratings: rated.length };
}
