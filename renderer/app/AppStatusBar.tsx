import { useTranslation } from 'react-i18next';
import { StatusBar, type StatusItem } from '../components/StatusBar';
import { useCoreStore } from '../stores/coreStore';

const TONE = { connected: 'success', connecting: 'processing', disconnected: 'error' } as const;

/** The status bar fed from the stores. Features add their items (registration, agent state, sync). */
export function AppStatusBar() {
  const { t } = useTranslation();
  const connection = useCoreStore((s) => s.connection);
  const info = useCoreStore((s) => s.info);
  const items: StatusItem[] = [
    { key: 'core', label: t('status.core'), value: t(`status.${connection}`), tone: TONE[connection], testId: 'status-core' },
  ];
  const host = info ? t(info.host === 'electron' ? 'status.hostElectron' : 'status.hostWeb') : '';
  return <StatusBar items={items} right={info ? `${host} · v${info.version}` : null} />;
}
