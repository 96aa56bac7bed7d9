import { RESOURCES } from '../i18n';
import type { Language } from '../settings/definitions';

/**
 * Column labels of a report table in one language (the same strings the screen uses):
 * `period`, `queue`, `agent`, `total`, a KPI id, `state:<state>`.
 */
export function reportColumnLabel(lang: Language, column: string): string {
  const s = RESOURCES[lang].supervisor;
  if (column === 'period') return s.report.period;
  if (column === 'total') return s.report.total;
  if (column === 'queue') return s.board.queue;
  if (column === 'agent') return s.board.agent;
  if (column.startsWith('state:')) return s.state[column.slice(6) as keyof typeof s.state] ?? column;
  return (s.kpi as Record<string, { label: string }>)[column]?.label ?? column;
}
