/**
 * Every KPI shown anywhere (live boards, wallboard, reports, CSV/XLSX), with its unit and its
 * label/tooltip keys (`supervisor.kpi.<id>.label` / `.tip` in shared/i18n/locales/supervisor.*:
 * the tooltip states the formula and edge cases written in `queueKpis.ts`, `agentKpis.ts`,
 * `customerKpis.ts`). One formatter: the screen and the export show the same text.
 */

/** How a KPI value is shown. */
export type KpiUnit = 'count' | 'percent' | 'seconds' | 'number';

/** One KPI's presentation. */
export interface KpiDefinition {
  id: KpiId;
  unit: KpiUnit;
  /** Which direction is good (colour thresholds); null when neither. */
  better: 'higher' | 'lower' | null;
}

/** KPI ids (the keys of the computed figures, see `queueKpis.ts` and friends). */
export const KPI_IDS = [
  'offered',
  'answered',
  'abandoned',
  'shortAbandoned',
  'overflowed',
  'serviceLevel',
  'asaMs',
  'waitingNow',
  'longestWaitNowMs',
  'ahtMs',
  'avgTalkMs',
  'avgHoldMs',
  'avgWrapUpMs',
  'transfers',
  'abandonRate',
  'occupancy',
  'utilisation',
  'callsPerAgent',
  'fcr',
  'complaintMedianMs',
  'complaintP90Ms',
  'slaBreaches',
  'csat',
] as const;
/** A KPI id. */
export type KpiId = (typeof KPI_IDS)[number];

const UNITS: Record<KpiId, [KpiUnit, KpiDefinition['better']]> = {
  offered: ['count', null],
  answered: ['count', 'higher'],
  abandoned: ['count', 'lower'],
  shortAbandoned: ['count', null],
  overflowed: ['count', 'lower'],
  serviceLevel: ['percent', 'higher'],
  asaMs: ['seconds', 'lower'],
  waitingNow: ['count', 'lower'],
  longestWaitNowMs: ['seconds', 'lower'],
  ahtMs: ['seconds', null],
  avgTalkMs: ['seconds', null],
  avgHoldMs: ['seconds', 'lower'],
  avgWrapUpMs: ['seconds', 'lower'],
  transfers: ['count', null],
  abandonRate: ['percent', 'lower'],
  occupancy: ['percent', null],
  utilisation: ['percent', null],
  callsPerAgent: ['number', null],
  fcr: ['percent', 'higher'],
  complaintMedianMs: ['seconds', 'lower'],
  complaintP90Ms: ['seconds', 'lower'],
  slaBreaches: ['count', 'lower'],
  csat: ['percent', 'higher'],
};

/** The definitions, in display order. */
export const KPI_DEFINITIONS: readonly KpiDefinition[] = KPI_IDS.map((id) => ({ id, unit: UNITS[id][0], better: UNITS[id][1] }));

/** The definition of one KPI. */
export function kpiDefinition(id: KpiId): KpiDefinition {
  return { id, unit: UNITS[id][0], better: UNITS[id][1] };
}

/** Shown for a KPI with nothing to measure (ratio with a zero denominator). */
export const NO_VALUE = '—';

/**
 * The text of a KPI value, the same on every screen and in every export: counts as integers,
 * percentages with one decimal (`81.7%`), durations as `m:ss` below an hour and `h:mm:ss` above
 * (`0:12`, `4:05`, `1:02:03`, rounded to the second), other numbers with one decimal; null -> "—".
 */
export function formatKpi(id: KpiId, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  switch (UNITS[id][0]) {
    case 'count':
      return String(Math.round(value));
    case 'percent':
      return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
    case 'number':
      return (Math.round(value * 10) / 10).toFixed(1);
    case 'seconds':
      return formatDurationMs(value);
  }
}

/** `m:ss` below an hour, `h:mm:ss` above; rounded to the nearest second. */
export function formatDurationMs(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${p(m)}:${p(s)}` : `${m}:${p(s)}`;
}
