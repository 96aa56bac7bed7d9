import { Alert, Button, Descriptions, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Result } from '../../../shared/api/result';
import type { SyncState } from '../../../shared/sync/api';
import type { User } from '../../../shared/sync/protocol';
import { useSyncStore } from '../../stores/syncStore';
import { connectionText, syncErrorText, syncTime } from '../sync/syncText';

/** The signed-in account: who, where, connection, outbox depth, last sync; "Sync now" and "Sign out". */
export function ServerSignedIn({ sync, user }: { sync: SyncState; user: User }) {
  const { t, i18n } = useTranslation();
  const retry = useSyncStore((s) => s.retry);
  const signOut = useSyncStore((s) => s.signOut);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'retry' | 'sign-out' | null>(null);
  const run = async (which: 'retry' | 'sign-out', action: () => Promise<Result<SyncState>>) => {
    setBusy(which);
    setError(null);
    const r = await action();
    setBusy(null);
    if (!r.ok) setError(syncErrorText(r.error, t));
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="server-signed-in">
      <Typography.Text strong data-testid="server-signed-in-as">
        {t('sync.account.signedInAs', { name: user.displayName, role: t(`sync.roles.${user.role}`), url: sync.serverUrl })}
      </Typography.Text>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('sync.account.connection')}>
          <span data-testid="server-connection">{connectionText(sync, t, i18n.language)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('sync.account.outbox')}>
          <span data-testid="server-outbox">{sync.outboxDepth}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('sync.account.lastSync')}>
          <span data-testid="server-last-sync">{sync.lastSyncAt !== null ? syncTime(sync.lastSyncAt, i18n.language) : t('sync.account.never')}</span>
        </Descriptions.Item>
      </Descriptions>
      {sync.lastError && <Typography.Text type="secondary">{t('sync.lastError', { message: sync.lastError })}</Typography.Text>}
      {error && <Alert type="error" showIcon title={error} data-testid="server-action-error" />}
      <Space>
        <Button onClick={() => void run('retry', retry)} loading={busy === 'retry'} disabled={busy !== null} data-testid="server-retry">
          {t('sync.account.retry')}
        </Button>
        <Button danger onClick={() => void run('sign-out', signOut)} loading={busy === 'sign-out'} disabled={busy !== null} data-testid="server-sign-out">
          {t('sync.account.signOut')}
        </Button>
      </Space>
      <Typography.Text type="secondary">{t('sync.account.signOutHelp')}</Typography.Text>
    </Space>
  );
}
