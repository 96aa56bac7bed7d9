import { useTranslation } from 'react-i18next';
import { StatusBar, type StatusItem } from '../components/StatusBar';
import { useCoreStore } from '../stores/coreStore';
import { usePhoneStore } from '../stores/phoneStore';
import { useAgentStore } from '../stores/agentStore';
import { AgentStatus } from '../features/agent/AgentStatus';
import { AGENT_TONE } from '../components/recordLabels';
import { useSyncStore } from '../stores/syncStore';
import { SyncStatus } from '../features/sync/SyncStatus';
import { syncTone } from '../features/sync/syncText';
import { useQueueStore } from '../stores/queueStore';
import { QueueStatus } from '../features/queue/QueueStatus';

const TONE = { connected: 'success', connecting: 'processing', disconnected: 'error' } as const;
const REGISTRATION_TONE = {
  unconfigured: 'default',
  registering: 'processing',
  registered: 'success',
  failed: 'error',
  disconnected: 'error',
  unregistered: 'warning',
} as const;

/** The status bar fed from the stores. Features add their items (registration, agent state, sync). */
export function AppStatusBar() {
  const { t } = useTranslation();
  const connection = useCoreStore((s) => s.connection);
  const info = useCoreStore((s) => s.info);
  const registration = usePhoneStore((s) => s.phone?.registration);
  const items: StatusItem[] = [
    { key: 'core', label: t('status.core'), value: t(`status.${connection}`), tone: TONE[connection], testId: 'status-core' },
  ];
  if (registration) {
    const cert = registration.certificate;
    const reason = cert
      ? ` (${t(`registration.certificate.${cert.problem}`, { host: cert.host, code: cert.code })})`
      : registration.reason
        ? ` (${t(`registration.reason.${registration.reason}`)}${registration.sipCode ? ` ${registration.sipCode}` : ''})`
        : '';
    items.push({
      key: 'registration',
      label: t('registration.label'),
      value: `${t(`registration.${registration.state}`)}${reason}`,
      tone: REGISTRATION_TONE[registration.state],
      testId: 'status-registration',
    });
  }
  const agentState = useAgentStore((s) => s.agent?.state);
  const missed = useAgentStore((s) => s.agent?.reason === 'missed-call');
  if (agentState) {
    items.push({ key: 'agent', label: t('workflow.status.label'), value: <AgentStatus />, tone: missed ? 'error' : AGENT_TONE[agentState], testId: 'status-agent' });
  }
  const sync = useSyncStore((s) => s.sync);
  if (sync && (sync.connection !== 'disabled' || sync.outboxDepth > 0)) {
    items.push({ key: 'sync', label: t('sync.label'), value: <SyncStatus sync={sync} />, tone: syncTone(sync), testId: 'status-sync' });
  }
  const queues = useQueueStore((s) => s.queues);
  if (queues?.available && queues.queues.length > 0) {
    const waiting = queues.queues.some((q) => q.loggedIn && q.waiting > 0);
    items.push({ key: 'queues', label: t('queue.label'), value: <QueueStatus queues={queues.queues} />, tone: waiting ? 'warning' : 'default', testId: 'status-queues' });
  }
  const host = info ? t(info.host === 'electron' ? 'status.hostElectron' : 'status.hostWeb') : '';
  return <StatusBar items={items} right={info ? `${host} · v${info.version}` : null} />;
}
