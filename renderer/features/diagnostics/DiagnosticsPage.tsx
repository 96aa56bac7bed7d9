import { Button, Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { callFailureOf } from '../../../shared/phone/callFailure';
import { useCoreStore } from '../../stores/coreStore';
import { usePhoneStore } from '../../stores/phoneStore';
import { useSyncStore } from '../../stores/syncStore';
import { DiagnosticsBundle } from './DiagnosticsBundle';

/** Facts IT needs: version, host, paths of the data, log and policy files, the link to the central server. */
export function DiagnosticsPage() {
  const { t, i18n } = useTranslation();
  const info = useCoreStore((s) => s.info);
  const sync = useSyncStore((s) => s.sync);
  const phone = usePhoneStore((s) => s.phone);
  if (!info) return null;
  // Failed calls with their SIP detail (status code, reason phrase or error, SIP Call-ID) for support.
  const failures = (phone?.calls ?? [])
    .filter((c) => c.end && callFailureOf(c.end, c.direction))
    .map((c) => {
      const at = new Date(c.times.ended ?? c.times.created).toLocaleString(i18n.language);
      return `${at} ${c.direction} ${c.remote.number || c.remote.uri}: ${c.end?.reason}${c.end?.sipCode ? ` ${c.end.sipCode}` : ''}${c.end?.message ? ` ${c.end.message}` : ''} (Call-ID ${c.sipCallId})`;
    });
  const none = t('diagnostics.none');
  const when = (at: number | null) => (at === null ? none : new Date(at).toLocaleString(i18n.language));
  const rows: [string, string][] = [
    ['version', info.version],
    ['host', t(info.host === 'electron' ? 'status.hostElectron' : 'status.hostWeb')],
    ['platform', info.platform],
    ['locale', info.locale],
    ['startedAt', new Date(info.startedAt).toLocaleString(i18n.language)],
    ['dataDir', info.dataDir],
    ['databaseFile', info.databaseFile],
    ['schemaVersion', String(info.schemaVersion)],
    ['logFile', info.logFile],
    ['policyFile', info.policyFile],
    ...(sync
      ? ([
          ['serverUrl', sync.serverUrl || none],
          ['serverConnection', t(`sync.connection.${sync.connection}`)],
          ['serverUser', sync.user ? `${sync.user.displayName} (${sync.user.id})` : none],
          ['outboxDepth', String(sync.outboxDepth)],
          ['lastSync', when(sync.lastSyncAt)],
          ['lastSyncError', sync.lastError ?? none],
        ] as [string, string][])
      : []),
  ];
  const text = [...rows.map(([k, v]) => `${t(`diagnostics.${k}`)}: ${v}`), `${t('diagnostics.callFailures')}:`, ...failures].join('\n');
  return (
    <div className="cd-page cd-page-form" data-testid="page-diagnostics">
      <Typography.Title level={3}>{t('diagnostics.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('diagnostics.subtitle')}</Typography.Paragraph>
      <DiagnosticsBundle />
      <Descriptions bordered size="small" column={1}>
        {rows.map(([k, v]) => (
          <Descriptions.Item key={k} label={t(`diagnostics.${k}`)}>
            <Typography.Text copyable={false}>{v}</Typography.Text>
          </Descriptions.Item>
        ))}
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('diagnostics.callFailures')}
      </Typography.Title>
      {failures.length === 0 ? (
        <Typography.Text type="secondary">{t('diagnostics.callFailuresNone')}</Typography.Text>
      ) : (
        <pre className="cd-diagnostics-failures" data-testid="diagnostics-call-failures">
          {failures.join('\n')}
        </pre>
      )}
      <br />
      <Button style={{ marginTop: 12 }} onClick={() => void navigator.clipboard?.writeText(text)}>
        {t('diagnostics.copy')}
      </Button>
    </div>
  );
}
