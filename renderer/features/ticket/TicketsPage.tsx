import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../shared/api/result';
import type { Ticket } from '../../../shared/ticket/ticket';
import { fitColumns, useElementWidth, type FittableColumn } from '../../components/fitColumns';
import { openableRow } from '../../components/openableRow';
import { useTicketStore } from '../../stores/ticketStore';
import { apiErrorText } from '../../components/apiErrors';
import { categoryLabel, PRIORITY_COLOR, shortId, STATUS_COLOR, TYPE_COLOR } from '../../components/recordLabels';
import { CustomerPicker } from './CustomerPicker';
import { DueTime } from '../../components/DueTime';
import { currentCallPrefill } from './prefill';
import '../../components/records.css';

/** The views of the Tickets page. */
const VIEWS = ['my-open', 'overdue', 'by-customer', 'open'] as const;
type View = (typeof VIEWS)[number];

/**
 * Tickets: my open tickets, overdue ones (highlighted), a customer's tickets and all open ones, with
 * the SLA due time; a row opens the ticket with its history and status changes. New ticket: Alt+N.
 */
export function TicketsPage() {
  const { t, i18n } = useTranslation();
  const call = useTicketStore((s) => s.call);
  const revision = useTicketStore((s) => s.revision);
  const names = useTicketStore((s) => s.names);
  const ensureNames = useTicketStore((s) => s.ensureNames);
  const openCreate = useTicketStore((s) => s.openCreate);
  const [view, setView] = useState<View>('my-open');
  const [customer, setCustomer] = useState<{ id: number | null; name: string }>({ id: null, name: '' });
  const [items, setItems] = useState<Ticket[]>([]);
  const [total, setTotal] = useState(0);
  const [overdueCount, setOverdueCount] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const openTicket = useTicketStore((s) => s.openTicket);
  const [now, setNow] = useState(() => Date.now());

  const load = useCallback(async () => {
    if (view === 'by-customer' && customer.id === null) {
      setItems([]);
      setTotal(0);
      return;
    }
    setLoading(true);
    const r = await call((api) => api.ticket.list(view === 'by-customer' ? { view, customerId: customer.id!, limit: 500 } : { view, limit: 500 }));
    setLoading(false);
    setNow(Date.now());
    if (!r.ok) return setError(r.error);
    setError(null);
    setItems(r.value.items);
    setTotal(r.value.total);
    ensureNames(r.value.items.map((x) => x.customerId));
  }, [call, view, customer.id, ensureNames]);

  useEffect(() => {
    void load();
  }, [load, revision]);
  useEffect(() => {
    void call((api) => api.ticket.list({ view: 'overdue', limit: 1 })).then((r) => r.ok && setOverdueCount(r.value.total));
  }, [call, revision]);
  // Overdue highlighting follows the clock, not only changes.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const tableBox = useRef<HTMLDivElement>(null);
  const tableWidth = useElementWidth(tableBox);
  const when = new Intl.DateTimeFormat(i18n.language, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  // The last columns give way first when the work area is narrow (1366 px with the phone panel).
  const allColumns: (ColumnsType<Ticket>[number] & FittableColumn)[] = [
      { title: t('workflow.tickets.id'), dataIndex: 'id', width: 72, render: (id: string) => <span className="cd-ticket-id">{shortId(id)}</span> },
      {
        title: t('workflow.tickets.subject'),
        dataIndex: 'subject',
        ellipsis: true,
        render: (s: string, r) => (
          <span>
            <Tag color={TYPE_COLOR[r.type]}>{t(`workflow.ticketType.${r.type}`)}</Tag>
            <span className="cd-subject" data-testid="ticket-subject">
              {s}
            </span>
          </span>
        ),
      },
      { title: t('workflow.tickets.priority'), dataIndex: 'priority', width: 72, render: (p: Ticket['priority']) => <Tag color={PRIORITY_COLOR[p]}>{p}</Tag> },
      {
        title: t('workflow.tickets.status'),
        dataIndex: 'status',
        width: 96,
        render: (s: Ticket['status']) => (
          <Tag color={STATUS_COLOR[s]} data-testid="ticket-status" data-status={s}>
            {t(`workflow.ticketStatus.${s}`)}
          </Tag>
        ),
      },
      {
        title: t('workflow.tickets.due'),
        dataIndex: 'dueAt',
        width: 196,
        render: (v: number, r) =>
          r.status === 'resolved' || r.status === 'closed' ? <span className="cd-tl-when">{when.format(v)}</span> : <DueTime dueAt={v} now={now} overdue={r.overdue} paused={r.status === 'pending'} testId="ticket-due" />,
      },
      { title: t('workflow.tickets.customer'), dataIndex: 'customerId', width: 110, ellipsis: true, render: (id: number | null) => (id === null ? '—' : (names[id] ?? `#${id}`)) },
      { title: t('workflow.tickets.category'), dataIndex: 'category', width: 88, dropOrder: 2, render: (c: string) => (c ? categoryLabel(i18n, t, c) : '—') },
      ...(view === 'my-open' ? [] : [{ title: t('workflow.tickets.assignee'), dataIndex: 'assignee', width: 76, dropOrder: 4, ellipsis: true, render: (a: string | null) => a ?? '—' }]),
      { title: t('workflow.tickets.created'), dataIndex: 'createdAt', width: 112, dropOrder: 3, render: (v: number) => <span className="cd-tl-when">{when.format(v)}</span> },
  ];
  const fitted = fitColumns(allColumns, tableWidth);
  return (
    <div className="cd-page cd-tickets" data-testid="page-tickets">
      <div className="cd-page-head">
        <Space size={12} wrap>
          <Typography.Title level={3}>{t('workflow.tickets.title')}</Typography.Title>
          <Segmented
            value={view}
            onChange={(v) => setView(v as View)}
            options={VIEWS.map((v) => ({
              value: v,
              label: (
                <span data-testid={`tickets-view-${v}`}>
                  {t(`workflow.ticketView.${v}`)}
                  {v === 'overdue' && overdueCount > 0 && <Badge count={overdueCount} size="small" style={{ marginLeft: 6 }} />}
                </span>
              ),
            }))}
          />
          {view === 'by-customer' && (
            <CustomerPicker value={customer.id} valueName={customer.name} onChange={(id, name) => setCustomer({ id, name })} testId="tickets-customer" style={{ width: 260 }} />
          )}
        </Space>
        <Space size={6}>
          <Tooltip title={t('workflow.common.refresh')}>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('workflow.common.refresh')} />
          </Tooltip>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => openCreate(currentCallPrefill(t))} data-testid="tickets-new">
            {t('workflow.tickets.new')} <Typography.Text keyboard className="cd-kbd">Alt+N</Typography.Text>
          </Button>
        </Space>
      </div>
      {error && <Alert type="error" showIcon title={apiErrorText(error, t)} />}
      <Typography.Text type="secondary" className="cd-results-meta" data-testid="tickets-total">
        {view === 'by-customer' && customer.id === null ? t('workflow.tickets.pickCustomer') : t('workflow.tickets.count', { count: total })}
      </Typography.Text>
      <div ref={tableBox}>
        <Table<Ticket>
          size="small"
          rowKey="id"
          loading={loading}
          dataSource={items}
          pagination={items.length > 50 ? { pageSize: 50, size: 'small', showSizeChanger: false } : false}
          rowClassName={(r) => (r.overdue ? 'cd-row-overdue' : '')}
          onRow={(r) => ({ ...openableRow(() => openTicket(r.id)), 'data-testid': 'ticket-row', 'data-ticket-id': r.id, 'data-overdue': String(r.overdue), 'data-created-at': r.createdAt, 'data-type': r.type, 'data-priority': r.priority }) as React.HTMLAttributes<HTMLElement>}
          data-testid="tickets-table"
          scroll={{ x: fitted.x }}
          columns={fitted.columns as ColumnsType<Ticket>}
        />
      </div>
    </div>
  );
}
