import { AudioOutlined } from '@ant-design/icons';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMonitorStore } from '../../stores/monitorStore';

/**
 * Agent side: tells the agent that a supervisor listens, whispers or has joined (when the policy
 * `monitoring.showIndicator` allows it: the core marks each session).
 */
export function MonitorIndicator() {
  const { t } = useTranslation();
  const sessions = useMonitorStore((s) => s.sessions);
  const shown = sessions.filter((s) => s.role === 'agent' && s.indicator && s.state === 'active');
  if (shown.length === 0) return null;
  return (
    <>
      {shown.map((s) => (
        <Alert
          key={s.id}
          type={s.mode === 'listen' ? 'info' : 'warning'}
          showIcon
          icon={<AudioOutlined />}
          role="status"
          aria-live="polite"
          message={t(`monitoring.indicator.${s.mode}`)}
          data-testid="monitor-indicator"
          data-mode={s.mode}
          style={{ margin: '8px 0' }}
        />
      ))}
    </>
  );
}
