import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { QueueOffer } from '../../../shared/acd/offerHeader';
import { formatDuration } from '../../components/CallTimer';
import './queue.css';

/** On a call card: the queue that offered the call, why it rings this agent, and how long the caller waited. */
export function QueueOfferLine({ offer }: { offer: QueueOffer }) {
  const { t } = useTranslation();
  return (
    <div className="cd-queue-offer" data-testid="call-queue" data-queue={offer.queueId} data-reason={offer.reason}>
      <Tag color="blue">{t('queue.offer.queue', { name: offer.queueName })}</Tag>
      {offer.vip && (
        <Tag color="gold" data-testid="call-queue-vip">
          {t('queue.offer.vip')}
        </Tag>
      )}
      <Typography.Text type="secondary" data-testid="call-queue-reason">
        {t(`queue.offer.reason.${offer.reason}`)} · {t('queue.offer.waited', { wait: formatDuration(offer.waitedMs) })}
      </Typography.Text>
    </div>
  );
}
