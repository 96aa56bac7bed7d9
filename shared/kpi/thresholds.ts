import type { QueueBoardRow } from './board';
import type { KpiId } from './definitions';

/** How a value stands against its threshold: shown as a colour (and alerted when it turns `bad`). */
export type KpiStatus = 'ok' | 'warn' | 'bad';

/**
 * Queue thresholds, the same on the live board and the wallboard:
 * - service level: `bad` below the queue's target %, `warn` within 5 points above it;
 * - longest wait: `warn` past half of the queue's threshold T, `bad` past T;
 * - abandon rate: `warn` from 5 %, `bad` from 10 %.
 * Others have no threshold (null).
 */
export function queueKpiStatus(row: Pick<QueueBoardRow, 'slTargetPct' | 'slTargetSec'>, kpi: KpiId, value: number | null): KpiStatus | null {
  if (value === null) return null;
  switch (kpi) {
    case 'serviceLevel':
      return value * 100 < row.slTargetPct ? 'bad' : value * 100 < row.slTargetPct + 5 ? 'warn' : 'ok';
    case 'longestWaitNowMs':
      return value > row.slTargetSec * 1000 ? 'bad' : value > (row.slTargetSec * 1000) / 2 ? 'warn' : 'ok';
    case 'abandonRate':
      return value >= 0.1 ? 'bad' : value >= 0.05 ? 'warn' : 'ok';
    default:
      return null;
  }
}

/** Agent board thresholds (seconds in state): long not-ready, long wrap-up, long call. */
export const AGENT_STATE_LIMITS_MS: Record<string, { warn: number; bad: number }> = {
  'not-ready': { warn: 10 * 60_000, bad: 20 * 60_000 },
  'wrap-up': { warn: 60_000, bad: 120_000 },
  'on-call': { warn: 10 * 60_000, bad: 20 * 60_000 },
};

/** The colour status of an agent who has been in `state` for `ms`. */
export function agentStateStatus(state: string, ms: number): KpiStatus | null {
  const l = AGENT_STATE_LIMITS_MS[state];
  if (!l) return null;
  return ms >= l.bad ? 'bad' : ms >= l.warn ? 'warn' : 'ok';
}

/** The value of a queue KPI at `now` (the longest wait ticks from the oldest waiting call). */
export function queueKpiValue(row: QueueBoardRow, kpi: KpiId, now: number): number | null {
  if (kpi === 'longestWaitNowMs') return row.oldestWaitingSince === null ? null : Math.max(0, now - row.oldestWaitingSince);
  return ((row.kpis as unknown as Record<string, number | null>)[kpi] ?? null) as number | null;
}
