import { Empty, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { QueueBoardRow } from '../../../shared/kpi/board';
import { formatKpi, type KpiId } from '../../../shared/kpi/definitions';
import { queueKpiStatus, queueKpiValue } from '../../../shared/kpi/thresholds';
import { KpiTitle } from './KpiTitle';

const COLUMNS: KpiId[] = ['waitingNow', 'longestWaitNowMs', 'serviceLevel', 'asaMs', 'ahtMs', 'offered', 'answered', 'abandoned', 'shortAbandoned', 'abandonRate'];

/** The live queue board: one row per queue in scope, values coloured against the queue's thresholds. */
export function QueueBoard({ rows, now }: { rows: QueueBoardRow[]; now: number }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <Empty description={t('supervisor.board.noQueues')} />;
  return (
    <Table<QueueBoardRow>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={rows}
      scroll={{ x: 'max-content' }}
      aria-label={t('supervisor.board.queues')}
      columns={[
        { key: 'name', title: t('supervisor.board.queue'), fixed: 'left', render: (_, r) => <strong>{r.name}</strong> },
        ...COLUMNS.map((k) => ({
          key: k,
          title: <KpiTitle id={k} />,
          align: 'right' as const,
          render: (_: unknown, r: QueueBoardRow) => {
            const v = queueKpiValue(r, k, now);
            const status = queueKpiStatus(r, k, v);
            return (
              <span className={status ? `cd-kpi-${status}` : undefined} data-testid={`q-${r.id}-${k}`}>
                {formatKpi(k, v)}
              </span>
            );
          },
        })),
        {
          key: 'agents',
          title: t('supervisor.board.agentsByState'),
          render: (_, r) =>
            Object.entries(r.agentsByState).map(([s, n]) => (
              <Tag key={s} className={`cd-state-${s}`}>
                {t(`supervisor.state.${s}`, { defaultValue: s })} {n}
              </Tag>
            )),
        },
      ]}
    />
  );
}
