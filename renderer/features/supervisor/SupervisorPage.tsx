import { Alert, Badge, Card, Space, Tabs, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatKpi } from '../../../shared/kpi/definitions';
import { queueKpiStatus, queueKpiValue } from '../../../shared/kpi/thresholds';
import { useSupervisorStore } from '../../stores/supervisorStore';
import { useSyncStore } from '../../stores/syncStore';
import { apiErrorText } from '../../components/apiErrors';
import { AgentBoard } from './AgentBoard';
import { QueueBoard } from './QueueBoard';
import { ReportView } from './ReportView';
import { StaffingCalculator } from './StaffingCalculator';
import { useBreachAlert } from './useBreachAlert';
import './supervisor.css';

/**
 * The supervisor workspace (issue 12): live queue and agent boards (loaded once, then kept current
 * by the rows the server pushes; the clocks tick here), historical reports and the staffing
 * calculator. Shown only to supervisors and admins (the server refuses agents anyway).
 */
export function SupervisorPage() {
  const { t } = useTranslation();
  const board = useSupervisorStore((s) => s.board);
  const error = useSupervisorStore((s) => s.error);
  const load = useSupervisorStore((s) => s.load);
  const realtime = useSyncStore((s) => s.sync?.realtime ?? false);
  const [now, setNow] = useState(() => Date.now());
  const wasOnline = useRef(realtime);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    // Back online: deltas missed meanwhile are not replayed, so read the whole board again.
    if (realtime && !wasOnline.current) void load();
    wasOnline.current = realtime;
  }, [realtime, load]);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  const alerts = useBreachAlert(board, now);
  const live = (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {error && <Alert type="error" showIcon message={apiErrorText(error, t)} />}
      <div className="cd-sup-tiles">
        {(board?.queues ?? []).map((q) => (
          <Card key={q.id} size="small" title={q.name} className="cd-sup-tile">
            {(['waitingNow', 'longestWaitNowMs', 'serviceLevel'] as const).map((k) => {
              const v = queueKpiValue(q, k, now);
              const s = queueKpiStatus(q, k, v);
              return (
                <div key={k} className="cd-sup-tile-kpi">
                  <span className="cd-muted">{t(`supervisor.kpi.${k}.label`)}</span>
                  <span className={`cd-sup-tile-value${s ? ` cd-kpi-${s}` : ''}`}>{formatKpi(k, v)}</span>
                </div>
              );
            })}
          </Card>
        ))}
      </div>
      <Card size="small" title={t('supervisor.board.queues')}>
        <QueueBoard rows={board?.queues ?? []} now={now} />
      </Card>
      <Card size="small" title={t('supervisor.board.agents')}>
        <AgentBoard rows={board?.agents ?? []} now={now} />
      </Card>
    </Space>
  );
  return (
    <div className="cd-page cd-supervisor" data-testid="supervisor-page">
      {alerts}
      <Space align="baseline" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('supervisor.title')}
        </Typography.Title>
        <Badge status={realtime ? 'success' : 'warning'} text={realtime ? t('supervisor.board.live') : t('supervisor.board.offline')} />
      </Space>
      <Tabs
        items={[
          { key: 'live', label: t('supervisor.tabs.live'), children: live },
          { key: 'report', label: t('supervisor.tabs.report'), children: <ReportView /> },
          { key: 'staffing', label: t('supervisor.tabs.staffing'), children: <StaffingCalculator /> },
        ]}
      />
    </div>
  );
}
