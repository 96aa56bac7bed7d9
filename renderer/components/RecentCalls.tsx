import { ArrowDownOutlined, ArrowUpOutlined, PhoneOutlined } from '@ant-design/icons';
import { Button, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CallSnapshot } from '../../shared/phone/call';
import { formatDuration } from './CallTimer';
import { callFailureText } from './callFailureText';

const ALERT_REASONS = new Set(['missed', 'busy', 'no-answer', 'failed', 'rejected', 'media-timeout', 'session-expired']);

/** The last ended calls with how each ended, and a call-back button; the customer's name first when known (`names` by call id). */
export function RecentCalls({ calls, onCallBack, names = {} }: { calls: CallSnapshot[]; onCallBack(number: string): void; names?: Record<string, string> }) {
  const { t, i18n } = useTranslation();
  if (calls.length === 0) return null;
  return (
    <List
      size="small"
      header={<Typography.Text type="secondary">{t('phone.recent')}</Typography.Text>}
      dataSource={calls}
      renderItem={(c) => {
        const reason = c.end?.reason ?? 'failed';
        const talk = c.times.answered && c.times.ended ? formatDuration(c.times.ended - c.times.answered) : null;
        const failure = callFailureText(t, c);
        return (
          <List.Item
            data-testid="recent-call"
            data-end-reason={reason}
            actions={
              c.remote.number
                ? [<Button key="back" size="small" type="text" icon={<PhoneOutlined />} aria-label={t('phone.callBack')} onClick={() => onCallBack(c.remote.number)} />]
                : []
            }
          >
            <List.Item.Meta
              avatar={c.direction === 'inbound' ? <ArrowDownOutlined /> : <ArrowUpOutlined />}
              title={
                names[c.id] ? (
                  <span data-testid="recent-call-name" className="cd-oneline cd-recent-name" title={names[c.id]}>
                    {names[c.id]} <Typography.Text type="secondary">{c.remote.number}</Typography.Text>
                  </span>
                ) : (
                  <span className="cd-oneline cd-recent-name" title={c.remote.displayName || undefined}>
                    {c.remote.displayName || c.remote.number || t('phone.anonymous')}
                  </span>
                )
              }
              description={
                <span>
                  <Tag color={ALERT_REASONS.has(reason) ? 'red' : 'default'}>
                    {t(`phone.end.${reason}`)}
                    {c.end?.sipCode ? ` (${c.end.sipCode})` : ''}
                  </Tag>
                  {talk && <span className="cd-timer">{talk} · </span>}
                  {new Date(c.times.created).toLocaleTimeString(i18n.language)}
                  {failure && (
                    <Typography.Text type="danger" style={{ display: 'block' }} data-testid="recent-call-failure">
                      {failure}
                    </Typography.Text>
                  )}
                </span>
              }
            />
          </List.Item>
        );
      }}
    />
  );
}
