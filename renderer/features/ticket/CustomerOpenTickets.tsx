import { PlusOutlined } from '@ant-design/icons';
import { Button, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OPEN_TICKET_STATUSES, type Ticket } from '../../../shared/ticket/ticket';
import { useTicketStore } from '../../stores/ticketStore';
import { DueTime } from '../../components/DueTime';
import { PRIORITY_COLOR, shortId, STATUS_COLOR } from '../../components/recordLabels';
import '../../components/records.css';

/** A customer's open tickets (new, open, pending), most urgent first; a click opens the ticket. */
export function CustomerOpenTickets({ customerId, customerName }: { customerId: number; customerName?: string }) {
  const { t } = useTranslation();
  const call = useTicketStore((s) => s.call);
  const revision = useTicketStore((s) => s.revision);
  const openTicket = useTicketStore((s) => s.openTicket);
  const openCreate = useTicketStore((s) => s.openCreate);
  const [items, setItems] = useState<Ticket[]>([]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    void call((api) => api.ticket.list({ view: 'by-customer', customerId, limit: 200 })).then((r) => {
      setNow(Date.now());
      if (r.ok) setItems(r.value.items.filter((x) => OPEN_TICKET_STATUSES.includes(x.status)).sort((a, b) => a.priority.localeCompare(b.priority) || a.dueAt - b.dueAt));
    });
  }, [call, customerId, revision]);
  return (
    <section className="cd-open-tickets" data-testid="customer-open-tickets" data-count={items.length}>
      <div className="cd-timeline-head">
        <Typography.Text strong>
          {t('workflow.timeline.openTickets')} <Typography.Text type="secondary">({items.length})</Typography.Text>
        </Typography.Text>
        <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => openCreate({ customerId, ...(customerName ? { customerName } : {}) })} data-testid="customer-new-ticket">
          {t('workflow.tickets.new')}
        </Button>
      </div>
      {items.length === 0 ? (
        <Typography.Text type="secondary">{t('workflow.timeline.noOpenTickets')}</Typography.Text>
      ) : (
        items.map((x) => (
          <div key={x.id} className="cd-open-ticket" onClick={() => openTicket(x.id)} data-testid="open-ticket" data-ticket-id={x.id} role="button" tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && openTicket(x.id)}>
            <Tag color={PRIORITY_COLOR[x.priority]}>{x.priority}</Tag>
            <Tag color={STATUS_COLOR[x.status]}>{t(`workflow.ticketStatus.${x.status}`)}</Tag>
            <span className="cd-ticket-id">{shortId(x.id)}</span>
            <span className="cd-subject" style={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {x.subject}
            </span>
            <DueTime dueAt={x.dueAt} now={now} overdue={x.overdue} paused={x.status === 'pending'} />
          </div>
        ))
      )}
    </section>
  );
}
