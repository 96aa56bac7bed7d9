import { DownOutlined } from '@ant-design/icons';
import { Dropdown, Switch, type MenuProps } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentQueueView } from '../../../shared/acd/agentQueues';
import { formatDuration } from '../../components/CallTimer';
import { useQueueStore } from '../../stores/queueStore';
import './queue.css';

/** The wait of the oldest call now: the pushed figure aged by the time since it arrived. */
export function longestWaitNow(q: AgentQueueView, now: number): number {
  return q.waiting > 0 ? q.longestWaitMs + Math.max(0, now - q.receivedAt) : 0;
}

/**
 * The agent's queues in the status bar: for each queue they are logged in to, the calls waiting
 * and the longest wait (pushed by the server, aged locally each second). One click opens the list of
 * their queues with a switch each to log in or out.
 */
export function QueueStatus({ queues }: { queues: AgentQueueView[] }) {
  const { t } = useTranslation();
  const setLogin = useQueueStore((s) => s.setLogin);
  const [now, setNow] = useState(() => Date.now());
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const toggle = async (q: AgentQueueView, loggedIn: boolean) => {
    const r = await setLogin(q.id, loggedIn);
    setError(r.ok ? null : t(`errors.${r.error.code}`, { defaultValue: r.error.message }));
  };
  const items: MenuProps['items'] = [
    { type: 'group', key: 'title', label: t('queue.menuTitle') },
    ...queues.map((q) => ({
      key: q.id,
      label: (
        <span className="cd-queue-item" data-testid={`queue-login-${q.id}`}>
          <Switch size="small" checked={q.loggedIn} aria-label={t('queue.loginSwitch', { name: q.name })} onClick={(checked, e) => (e.stopPropagation(), void toggle(q, checked))} />{' '}
          {q.name}
        </span>
      ),
    })),
  ];
  const active = queues.filter((q) => q.loggedIn);
  return (
    <Dropdown menu={{ items }} trigger={['click']}>
      <button type="button" className="cd-queue-status" data-testid="queue-status" title={t('queue.loginHint')}>
        {active.length === 0 && <span>{t('queue.none')}</span>}
        {active.map((q, i) => (
          <span key={q.id} className="cd-queue" data-testid={`queue-${q.id}`} data-waiting={q.waiting}>
            {i > 0 && ' · '}
            <strong>{q.name}</strong> {t('queue.waiting', { count: q.waiting })}
            {q.waiting > 0 && t('queue.longest', { wait: formatDuration(longestWaitNow(q, now)) })}
          </span>
        ))}
        {error && (
          <span className="cd-agent-error" data-testid="queue-error">
            {' '}
            {error}
          </span>
        )}
        <DownOutlined className="cd-agent-caret" />
      </button>
    </Dropdown>
  );
}
