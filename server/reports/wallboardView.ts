import type { LiveBoard } from '../../shared/kpi/board';
import { formatKpi } from '../../shared/kpi/definitions';
import { queueKpiStatus, queueKpiValue, type KpiStatus } from '../../shared/kpi/thresholds';
import { RESOURCES } from '../../shared/i18n';
import type { WallboardSpec } from './wallboardToken';

/** What the wallboard page shows: texts already formatted by the shared KPI formatter. */
export interface WallboardView {
  at: number;
  title: string;
  queues: Array<{ id: string; name: string; cells: Array<{ kpi: string; label: string; text: string; status: KpiStatus | null }> }>;
}

/** The wallboard's queues and KPIs from a full (admin-scope) live board. */
export function wallboardView(board: LiveBoard, spec: WallboardSpec, now: number): WallboardView {
  const kpi = RESOURCES[spec.lang].supervisor.kpi as Record<string, { label: string }>;
  const queues = spec.queues.flatMap((id) => {
    const row = board.queues.find((q) => q.id === id);
    if (!row) return [];
    return [
      {
        id,
        name: row.name,
        cells: spec.kpis.map((k) => {
          const value = queueKpiValue(row, k, now);
          return { kpi: k, label: kpi[k]?.label ?? k, text: formatKpi(k, value), status: queueKpiStatus(row, k, value) };
        }),
      },
    ];
  });
  return { at: now, title: spec.title || RESOURCES[spec.lang].supervisor.wallboard.title, queues };
}
