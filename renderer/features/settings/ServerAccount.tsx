import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { settingValue } from '../../../shared/settings/definitions';
import { useCoreStore } from '../../stores/coreStore';
import { useSyncStore } from '../../stores/syncStore';
import { SyncProgress } from '../sync/SyncProgress';
import { ServerSignedIn } from './ServerSignedIn';
import { ServerSignInForm } from './ServerSignInForm';

/** The account on the central server: a sign-in form when signed out, the account and sync status when signed in. */
export function ServerAccount() {
  const { t } = useTranslation();
  const sync = useSyncStore((s) => s.sync);
  const configuredUrl = useCoreStore((s) => (s.state ? settingValue(s.state.settings, 'server.url') : ''));
  const user = sync?.user ?? null;
  return (
    <div data-testid="server-account" data-user={user?.id ?? ''}>
      <Typography.Title level={5}>{t('sync.account.title')}</Typography.Title>
      <SyncProgress testId="server-progress" />
      {sync && user ? <ServerSignedIn sync={sync} user={user} /> : <ServerSignInForm defaultUrl={sync?.serverUrl || configuredUrl} />}
    </div>
  );
}
