import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportRow } from '../../../shared/kpi/report';

// Only what this chart uses: bars, a line, grid, tooltip, legend, canvas (keeps the chunk small).
echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

/**
 * Offered and answered per period (bars) with the service level (line, right axis), summed over
 * the shown queues from the report rows (the same numbers as the table). ECharts' own zh-CN locale
 * is used in Chinese.
 */
export function ReportChart({ rows }: { rows: ReportRow[] }) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { locale: i18n.language === 'zh-CN' ? 'ZH' : 'EN', renderer: 'canvas' });
    const periods = [...new Set(rows.map((r) => r.period))];
    const sumOf = (p: string, k: 'offered' | 'answered') => rows.filter((r) => r.period === p).reduce((s, r) => s + (r.values[k] ?? 0), 0);
    // Service level of a period over several queues: per-queue values weighted by their answered + abandoned-after-T is not in the row, so show it per period only when one queue is shown.
    const queues = new Set(rows.map((r) => r.key));
    const sl = periods.map((p) => {
      const v = rows.find((r) => r.period === p)?.values.serviceLevel;
      return queues.size === 1 && v !== null && v !== undefined ? Math.round(v * 1000) / 10 : null;
    });
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: periods },
      yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }],
      series: [
        { name: t('supervisor.kpi.offered.label'), type: 'bar', data: periods.map((p) => sumOf(p, 'offered')) },
        { name: t('supervisor.kpi.answered.label'), type: 'bar', data: periods.map((p) => sumOf(p, 'answered')) },
        ...(queues.size === 1 ? [{ name: t('supervisor.kpi.serviceLevel.label'), type: 'line', yAxisIndex: 1, data: sl, connectNulls: false }] : []),
      ],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [rows, t, i18n.language]);
  return <div ref={ref} className="cd-report-chart" role="img" aria-label={t('supervisor.report.chartTitle')} />;
}
