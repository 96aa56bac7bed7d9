import type { ReportGrain } from './buckets';
import { formatKpi, type KpiId } from './definitions';

/** What a historical report asks for (`GET /supervisor/report`). */
export interface ReportQuery {
  from: number;
  to: number;
  grain: ReportGrain;
  timeZone: string;
  /** One row per period and queue, or per period and agent. */
  by: 'queue' | 'agent';
  /** Only these queues (within scope); empty = every queue in scope. */
  queues: string[];
}

/** One report row: a period and a queue or agent, with every KPI value (null = nothing to measure). */
export interface ReportRow {
  start: number;
  /** The period's label in the centre's time zone; '' on total rows. */
  period: string;
  /** Queue id or agent id; '' for the all-queues total row. */
  key: string;
  values: Partial<Record<KpiId, number | null>>;
  /** Agent rows: ms per state and per not-ready reason. */
  stateMs?: Record<string, number>;
  notReadyMs?: Record<string, number>;
}

/** Complaint resolution figures of one category. */
export interface CategoryResolution {
  created: number;
  resolved: number;
  medianMs: number | null;
  p90Ms: number | null;
  slaBreaches: number;
}

/** A historical report: rows per period, and totals over the whole range. */
export interface Report {
  query: ReportQuery;
  rows: ReportRow[];
  totals: ReportRow[];
  complaintsByCategory: Record<string, CategoryResolution>;
}

/** KPI columns of a queue report, in order. */
export const QUEUE_REPORT_COLUMNS: readonly KpiId[] = ['offered', 'answered', 'abandoned', 'shortAbandoned', 'overflowed', 'serviceLevel', 'asaMs', 'ahtMs', 'avgTalkMs', 'avgHoldMs', 'avgWrapUpMs', 'transfers', 'abandonRate', 'callsPerAgent', 'fcr'];
/** KPI columns added on the total row of a queue report. */
export const TICKET_TOTAL_COLUMNS: readonly KpiId[] = ['complaintMedianMs', 'complaintP90Ms', 'slaBreaches', 'csat'];
/** KPI columns of an agent report, in order. */
export const AGENT_REPORT_COLUMNS: readonly KpiId[] = ['answered', 'ahtMs', 'avgTalkMs', 'avgHoldMs', 'avgWrapUpMs', 'transfers', 'occupancy', 'utilisation'];
/** Agent states shown as time columns of an agent report. */
export const AGENT_STATE_COLUMNS = ['ready', 'not-ready', 'ringing', 'on-call', 'wrap-up'] as const;

/** A report as a table of texts: exactly what the screen shows, and what CSV/XLSX export. */
export interface ReportTable {
  header: string[];
  rows: string[][];
}

/**
 * The one table of a report, used by the screen and by the exports (so a CSV never differs from
 * the screen). `label(key)` translates a column (`period`, `key`, `total`, a KPI id, `state:<s>`).
 */
export function reportTable(report: Report, label: (column: string) => string): ReportTable {
  const kpis = report.query.by === 'queue' ? [...QUEUE_REPORT_COLUMNS, ...TICKET_TOTAL_COLUMNS] : AGENT_REPORT_COLUMNS;
  const states = report.query.by === 'agent' ? AGENT_STATE_COLUMNS : [];
  const header = [label('period'), label(report.query.by), ...kpis.map((k) => label(k)), ...states.map((s) => label(`state:${s}`))];
  const line = (r: ReportRow): string[] => [
    r.period || label('total'),
    r.key || label('total'),
    ...kpis.map((k) => (k in r.values ? formatKpi(k, r.values[k]) : '')),
    ...states.map((s) => formatKpi('ahtMs', r.stateMs?.[s] ?? 0)),
  ];
  return { header, rows: [...report.rows.map(line), ...report.totals.map(line)] };
}

/** CSV (RFC 4180, CRLF, UTF-8 with BOM so Excel reads Chinese) of a table. */
export function toCsv(table: ReportTable): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) || /^[=+\-@]/.test(v) ? `"${(/^[=+\-@]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"` : v);
  return '\uFEFF' + [table.header, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
