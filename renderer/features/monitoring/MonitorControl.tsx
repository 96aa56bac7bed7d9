import { Alert, Button, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MONITOR_MODES, type MonitorMode } from '../../../shared/monitor/token';
import { useMonitorStore } from '../../stores/monitorStore';

/** Props of {@link MonitorControl}. */
export interface MonitorControlProps {
  /** The agent's SIP extension or URI. */
  agent: string;
  /**
   * Asks the server for a monitoring token for this agent's current call, e.g.
   * `() => useMonitorStore.getState().requestToken(agentUserId, callId)` (`monitor:token` ->
   * `POST /monitoring/token`); rejects with a message when the server refuses (out of scope).
   */
  requestToken(): Promise<string>;
}

/**
 * Supervisor side: listen / whisper / barge / stop for one agent's call, for the supervisor's agent
 * board. The first mode pressed places the monitoring call; the others switch its mode.
 */
export function MonitorControl({ agent, requestToken }: MonitorControlProps) {
  const { t } = useTranslation();
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const session = useMonitorStore((s) => s.sessions.find((x) => x.id === sessionId && x.role === 'supervisor'));
  const endReason = useMonitorStore((s) => (sessionId ? s.ended[sessionId] : undefined));
  const store = useMonitorStore.getState;

  const choose = async (mode: MonitorMode) => {
    setBusy(true);
    setProblem(null);
    try {
      if (session) {
        if (!(await store().setMode(session.id, mode))) setProblem(store().lastError?.message ?? '');
        return;
      }
      let token: string;
      try {
        token = await requestToken();
      } catch (err) {
        setProblem(t('monitoring.tokenFailed', { message: err instanceof Error ? err.message : String(err) }));
        return;
      }
      const started = await store().start(agent, token, mode);
      if (started) setSessionId(started.id);
      else setProblem(store().lastError?.message ?? '');
    } finally {
      setBusy(false);
    }
  };

  const ended = !session && endReason !== undefined && endReason !== 'stopped' ? t('monitoring.ended', { reason: endReasonText(endReason, t) }) : null;
  const status = session ? (session.state === 'active' ? t(`monitoring.active.${session.mode}`) : t('monitoring.connecting')) : ended;
  return (
    <div data-testid="monitor-control" data-agent={agent} data-mode={session?.mode ?? ''} data-state={session?.state ?? 'idle'}>
      <Space.Compact role="group" aria-label={t('monitoring.group')}>
        {MONITOR_MODES.map((mode) => (
          <Tooltip key={mode} title={t(`monitoring.${mode}Help`)}>
            <Button
              size="small"
              type={session?.mode === mode ? 'primary' : 'default'}
              aria-pressed={session?.mode === mode}
              disabled={busy || session?.state === 'connecting'}
              onClick={() => void choose(mode)}
              data-testid={`monitor-${mode}`}
            >
              {t(`monitoring.${mode}`)}
            </Button>
          </Tooltip>
        ))}
        <Button size="small" danger disabled={!session} onClick={() => session && void store().stop(session.id)} data-testid="monitor-stop">
          {t('monitoring.stop')}
        </Button>
      </Space.Compact>
      {status && (
        <Typography.Text type="secondary" style={{ marginLeft: 8 }} data-testid="monitor-status">
          {status}
        </Typography.Text>
      )}
      {problem && <Alert type="error" showIcon message={problem} style={{ marginTop: 4 }} data-testid="monitor-problem" />}
    </div>
  );
}

/** Why a session ended, for the supervisor: a refusal and a plain end in words, anything else as reported (SIP code). */
function endReasonText(reason: string, t: (key: string) => string): string {
  if (reason === '403') return t('monitoring.refused');
  if (reason === '' || reason === 'call-ended') return t('monitoring.callEnded');
  return reason;
}
