import { Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SyncState } from '../../../shared/sync/api';
import { statusText, syncTime } from './syncText';

/**
 * The server link in the status bar: connection and outbox depth, with the last sync and the last
 * error on hover. `data-connection` / `data-outbox` carry the raw values for end-to-end tests.
 */
export function SyncStatus({ sync }: { sync: SyncState }) {
  const { t, i18n } = useTranslation();
  const details = [
    sync.lastSyncAt !== null ? t('sync.lastSync', { time: syncTime(sync.lastSyncAt, i18n.language) }) : t('sync.neverSynced'),
    sync.connection === 'online' && !sync.realtime ? t('sync.realtimeOff') : null,
    sync.lastError ? t('sync.lastError', { message: sync.lastError }) : null,
  ].filter((line): line is string => line !== null);
  return (
    <Tooltip title={details.map((line) => <div key={line}>{line}</div>)}>
      <span data-testid="sync-status-text" data-connection={sync.connection} data-outbox={sync.outboxDepth}>
        {statusText(sync, t, i18n.language)}
      </span>
    </Tooltip>
  );
}
