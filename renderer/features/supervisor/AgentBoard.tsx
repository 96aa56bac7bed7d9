import { Empty, Select, Space, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentBoardRow } from '../../../shared/kpi/board';
import { formatDurationMs, formatKpi } from '../../../shared/kpi/definitions';
import { agentStateStatus } from '../../../shared/kpi/thresholds';
import { AGENT_STATES } from '../../../shared/agent/state';
import { useMonitorStore } from '../../stores/monitorStore';
import { MonitorControl } from '../monitoring/MonitorControl';
import { reasonLabel } from '../../components/recordLabels';
import { useNotReadyReasons } from '../agent/AgentStatus';
import { KpiTitle } from './KpiTitle';

/** The live agent board: state, reason and time in state (coloured past its limit), today's calls, AHT, occupancy; filter by state. */
export function AgentBoard({ rows, now }: { rows: AgentBoardRow[]; now: number }) {
  const { t, i18n } = useTranslation();
  const reasons = useNotReadyReasons();
  const [state, setState] = useState<string>('');
  const shown = useMemo(() => (state ? rows.filter((r) => r.state === state) : rows), [rows, state]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        aria-label={t('supervisor.board.filterState')}
        style={{ minWidth: 180 }}
        value={state}
        onChange={setState}
        options={[{ value: '', label: t('supervisor.board.filterAll') }, ...AGENT_STATES.map((s) => ({ value: s, label: t(`supervisor.state.${s}`) }))]}
      />
      {rows.length === 0 ? (
        <Empty description={t('supervisor.board.noAgents')} />
      ) : (
        <Table<AgentBoardRow>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={shown}
          scroll={{ x: 'max-content' }}
          aria-label={t('supervisor.board.agents')}
          columns={[
            { key: 'name', title: t('supervisor.board.agent'), render: (_, r) => <strong>{r.name}</strong> },
            { key: 'team', title: t('supervisor.board.team'), render: (_, r) => r.team ?? '—' },
            { key: 'state', title: t('supervisor.board.stateCol'), render: (_, r) => <Tag className={`cd-state-${r.state}`}>{t(`supervisor.state.${r.state}`, { defaultValue: r.state })}</Tag> },
            { key: 'reason', title: t('supervisor.board.reason'), render: (_, r) => (r.reason ? reasonLabel(i18n, t, r.reason, reasons) : '') },
            {
              key: 'inState',
              title: t('supervisor.board.inState'),
              align: 'right',
              render: (_, r) => {
                const ms = r.since === null ? null : Math.max(0, now - r.since);
                const status = ms === null ? null : agentStateStatus(r.state, ms);
                return <span className={status ? `cd-kpi-${status}` : undefined}>{ms === null ? '—' : formatDurationMs(ms)}</span>;
              },
            },
            {
              key: 'call',
              title: t('supervisor.board.currentCall'),
              render: (_, r) => (r.currentCall ? `${t(`supervisor.callState.${r.currentCall.state}`, { defaultValue: r.currentCall.state })} · ${formatDurationMs(Math.max(0, now - r.currentCall.since))}${r.currentCall.remote ? ` · ${r.currentCall.remote}` : ''}` : ''),
            },
            { key: 'calls', title: t('supervisor.board.callsToday'), align: 'right', render: (_, r) => r.callsToday },
            { key: 'aht', title: <KpiTitle id="ahtMs" />, align: 'right', render: (_, r) => formatKpi('ahtMs', r.ahtTodayMs) },
            { key: 'occ', title: <KpiTitle id="occupancy" />, align: 'right', render: (_, r) => formatKpi('occupancy', r.occupancy) },
            { key: 'queues', title: t('supervisor.board.queues'), render: (_, r) => r.queues.join(', ') },
            { key: 'monitor', title: t('supervisor.board.monitor'), render: (_, r) => <AgentMonitor row={r} /> },
          ]}
        />
      )}
    </Space>
  );
}

/**
 * Listen / whisper / barge on the agent's call in progress (not while it still rings): the token the
 * server signs names this agent and the desktop's call id; the monitoring leg rings the agent's SIP user.
 */
function AgentMonitor({ row }: { row: AgentBoardRow }) {
  const call = row.currentCall;
  if (!call || call.state === 'ringing') return null;
  return <MonitorControl agent={row.extension} requestToken={() => useMonitorStore.getState().requestToken(row.id, call.id)} />;
}
