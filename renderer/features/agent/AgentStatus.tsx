import { CheckCircleOutlined, DownOutlined, LogoutOutlined, PauseCircleOutlined } from '@ant-design/icons';
import { Dropdown, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { MISSED_CALL_REASON, type NotReadyReason } from '../../../shared/agent/state';
import { settingValue } from '../../../shared/settings/definitions';
import { CallTimer } from '../../components/CallTimer';
import { useAgentStore } from '../../stores/agentStore';
import { useCoreStore } from '../../stores/coreStore';
import { reasonLabel } from '../../components/recordLabels';

const NO_REASONS: NotReadyReason[] = [];

/** The configured not-ready reasons (the missed-call reason is set by the system, not offered). */
export function useNotReadyReasons(): NotReadyReason[] {
  return useCoreStore((s) => (s.state ? settingValue(s.state.settings, 'agent.notReadyReasons') : NO_REASONS));
}

/**
 * The agent state in the status bar: state, reason and the time in it; one click opens Ready /
 * Not ready (each configured reason) / Log out. During a call the choice waits for the call work
 * to finish (shown as "next").
 */
export function AgentStatus() {
  const { t, i18n } = useTranslation();
  const agent = useAgentStore((s) => s.agent);
  const lastError = useAgentStore((s) => s.lastError);
  const setState = useAgentStore((s) => s.setState);
  const reasons = useNotReadyReasons();
  if (!agent) return <span data-testid="agent-state">—</span>;
  const offered = reasons.filter((r) => r.code !== MISSED_CALL_REASON);
  const items: MenuProps['items'] = [
    { key: 'ready', icon: <CheckCircleOutlined style={{ color: '#389e0d' }} />, label: <span data-testid="agent-set-ready">{t('workflow.agentState.ready')}</span> },
    {
      type: 'group',
      key: 'not-ready',
      label: t('workflow.agentState.not-ready'),
      children: offered.map((r) => ({
        key: `not-ready:${r.code}`,
        icon: <PauseCircleOutlined style={{ color: '#d48806' }} />,
        label: <span data-testid={`agent-set-not-ready-${r.code}`}>{reasonLabel(i18n, t, r.code, reasons)}</span>,
      })),
    },
    { type: 'divider' },
    { key: 'logged-out', icon: <LogoutOutlined />, label: <span data-testid="agent-set-logged-out">{t('workflow.status.logOut')}</span> },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    const [state, reason] = key.split(':') as ['ready' | 'not-ready' | 'logged-out', string | undefined];
    void setState(state, reason);
  };
  const reason = agent.state === 'not-ready' && agent.reason ? reasonLabel(i18n, t, agent.reason, reasons) : null;
  const pending = agent.pending
    ? t('workflow.status.next', {
        state: agent.pending.state === 'not-ready' && agent.pending.reason ? reasonLabel(i18n, t, agent.pending.reason, reasons) : t(`workflow.agentState.${agent.pending.state}`),
      })
    : null;
  const selected = agent.state === 'not-ready' ? `not-ready:${agent.reason ?? ''}` : agent.state;
  return (
    <Dropdown menu={{ items, onClick, selectable: true, selectedKeys: [selected] }} trigger={['click']}>
      <button
          type="button"
          className={`cd-agent-state cd-agent-${agent.state}${agent.reason === MISSED_CALL_REASON ? ' cd-agent-missed' : ''}`}
          data-testid="agent-state"
          data-state={agent.state}
          data-reason={agent.reason ?? ''}
          data-pending={agent.pending?.state ?? ''}
          title={t('workflow.status.switchHint')}
        >
          <strong>{t(`workflow.agentState.${agent.state}`)}</strong>
          {reason && <span className="cd-agent-reason"> · {reason}</span>}
          <CallTimer since={agent.since} testId="agent-timer" />
          {pending && <span className="cd-agent-next">{pending}</span>}
          {lastError && (
            <span className="cd-agent-error" data-testid="agent-error" title={lastError.message}>
              {t(`errors.${lastError.code}`, { defaultValue: lastError.message })}
            </span>
          )}
          <DownOutlined className="cd-agent-caret" />
      </button>
    </Dropdown>
  );
}
