import { Alert, Button, DatePicker, Empty, Select, Space, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../shared/api/result';
import { REPORT_GRAINS, type ReportGrain } from '../../../shared/kpi/buckets';
import { reportColumnLabel } from '../../../shared/kpi/labels';
import { reportTable, toCsv, type Report } from '../../../shared/kpi/report';
import { toXlsx } from '../../../shared/kpi/xlsx';
import type { Language } from '../../../shared/settings/definitions';
import { useSupervisorStore } from '../../stores/supervisorStore';
import { apiErrorText } from '../../components/apiErrors';
import { ReportChart } from './ReportChart';

function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Historical report: range, period and per queue/agent; chart, the table, and CSV/XLSX of exactly that table. */
export function ReportView() {
  const { t, i18n } = useTranslation();
  const load = useSupervisorStore((s) => s.report);
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().startOf('day').subtract(6, 'day'), dayjs().endOf('day')]);
  const [grain, setGrain] = useState<ReportGrain>('day');
  const [by, setBy] = useState<'queue' | 'agent'>('queue');
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const lang = (i18n.language === 'zh-CN' ? 'zh-CN' : 'en-US') as Language;
  const table = useMemo(() => (report ? reportTable(report, (c) => reportColumnLabel(lang, c)) : null), [report, lang]);

  const run = async () => {
    setBusy(true);
    const r = await load({ from: range[0].valueOf(), to: range[1].valueOf() + 1, grain, by, queues: [] });
    setBusy(false);
    if (r.ok) {
      setReport(r.value);
      setError(null);
    } else setError(r.error);
  };
  const base = `calldesk-${by}-${grain}-${range[0].format('YYYYMMDD')}-${range[1].format('YYYYMMDD')}`;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <DatePicker.RangePicker aria-label={`${t('supervisor.report.from')} / ${t('supervisor.report.to')}`} value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} allowClear={false} />
        <Select aria-label={t('supervisor.report.grain')} value={grain} onChange={setGrain} style={{ minWidth: 120 }} options={REPORT_GRAINS.map((g) => ({ value: g, label: t(`supervisor.report.grains.${g}`) }))} />
        <Select aria-label={t('supervisor.board.queue')} value={by} onChange={setBy} style={{ minWidth: 100 }} options={[{ value: 'queue', label: t('supervisor.board.queues') }, { value: 'agent', label: t('supervisor.board.agents') }]} />
        <Button type="primary" onClick={() => void run()} loading={busy} data-testid="report-run">
          {t('supervisor.report.run')}
        </Button>
        <Button disabled={!table} onClick={() => table && download(`${base}.csv`, toCsv(table), 'text/csv;charset=utf-8')} data-testid="report-csv">
          {t('supervisor.report.exportCsv')}
        </Button>
        <Button disabled={!table} onClick={() => table && download(`${base}.xlsx`, toXlsx(table, by) as BlobPart, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')}>
          {t('supervisor.report.exportXlsx')}
        </Button>
        {report && <span className="cd-muted">{t('supervisor.report.timeZone', { tz: report.query.timeZone })}</span>}
      </Space>
      {error && <Alert type="error" showIcon message={apiErrorText(error, t)} />}
      {report && by === 'queue' && report.rows.length > 0 && <ReportChart rows={report.rows} />}
      {table &&
        (table.rows.length === 0 ? (
          <Empty description={t('supervisor.report.empty')} />
        ) : (
          <Table
            size="small"
            data-testid="report-table"
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            dataSource={table.rows.map((cells, i) => ({ key: i, cells }))}
            columns={table.header.map((h, i) => ({ key: i, title: h, align: i < 2 ? ('left' as const) : ('right' as const), render: (_: unknown, r: { cells: string[] }) => r.cells[i] }))}
          />
        ))}
    </Space>
  );
}
