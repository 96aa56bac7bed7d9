import { Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSyncStore } from '../../stores/syncStore';

/**
 * Progress of a pull in progress (a long first sync of a large directory): "Downloading changes
 * from the server: X of Y" over a bar. Renders nothing when no pull runs.
 */
export function SyncProgress({ testId = 'sync-progress' }: { testId?: string }) {
  const { t, i18n } = useTranslation();
  const pull = useSyncStore((s) => s.sync?.pull ?? null);
  if (!pull) return null;
  const percent = pull.latest > 0 ? Math.min(100, Math.max(0, Math.floor((pull.cursor / pull.latest) * 100))) : 0;
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <div className="cd-sync-progress" data-testid={testId} data-cursor={pull.cursor} data-latest={pull.latest} style={{ marginBottom: 12 }}>
      <Typography.Text type="secondary">{t('sync.progress', { cursor: number.format(pull.cursor), latest: number.format(pull.latest) })}</Typography.Text>
      <Progress percent={percent} size="small" status="active" />
    </div>
  );
}
