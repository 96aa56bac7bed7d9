import { CheckOutlined, PhoneOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../shared/api/result';
import type { Task } from '../../../shared/task/task';
import { usePhoneStore } from '../../stores/phoneStore';
import { endOfLocalDay, useTaskStore } from '../../stores/taskStore';
import { useTicketStore } from '../../stores/ticketStore';
import { DueTime } from '../../components/DueTime';
import { apiErrorText } from '../../components/apiErrors';
import { shortId } from '../../components/recordLabels';
import '../../components/records.css';

/**
 * My day: my open follow-ups and callbacks due today (overdue first), then those due later
 * (tomorrow's callbacks, next week's follow-ups), each with one-click call back and complete.
 * Reminders arrive as notifications at their time (see {@link ReminderNotifier}).
 */
export function MyDayPage() {
  const { t } = useTranslation();
  const call = useTaskStore((s) => s.call);
  const revision = useTaskStore((s) => s.revision);
  const names = useTicketStore((s) => s.names);
  const ensureNames = useTicketStore((s) => s.ensureNames);
  const dial = usePhoneStore((s) => s.run);
  const [items, setItems] = useState<Task[]>([]);
  const [upcoming, setUpcoming] = useState<Task[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  const load = useCallback(async () => {
    setLoading(true);
    const at = Date.now();
    const until = endOfLocalDay(at);
    const [r, open] = await Promise.all([call((api) => api.task.list({ view: 'my-day', until })), call((api) => api.task.list({ view: 'my-open', limit: 500 }))]);
    setLoading(false);
    setNow(at);
    if (!r.ok) return setError(r.error);
    setError(open.ok ? null : open.error);
    setItems(r.value.items);
    const later = open.ok ? open.value.items.filter((x) => x.dueAt > until).sort((a, b) => a.dueAt - b.dueAt) : [];
    setUpcoming(later);
    ensureNames([...r.value.items, ...later].map((x) => x.customerId));
  }, [call, ensureNames]);
  useEffect(() => {
    void load();
  }, [load, revision]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const complete = async (task: Task) => {
    const r = await call((api) => api.task.complete({ id: task.id, version: task.version }));
    if (!r.ok) setError(r.error);
  };
  const callBack = (task: Task) => {
    if (task.phone) void dial((api) => api.call.dial({ target: task.phone! }));
  };

  const overdue = items.filter((x) => x.dueAt < now).length;
  return (
    <div className="cd-page cd-myday" data-testid="page-myday">
      <div className="cd-page-head">
        <Space size={12}>
          <Typography.Title level={3}>{t('workflow.myDay.title')}</Typography.Title>
          <Typography.Text type="secondary" data-testid="myday-summary">
            {t('workflow.myDay.summary', { count: items.length, overdue })}
          </Typography.Text>
        </Space>
        <Tooltip title={t('workflow.common.refresh')}>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('workflow.common.refresh')} />
        </Tooltip>
      </div>
      {error && <Alert type="error" showIcon closable onClose={() => setError(null)} title={apiErrorText(error, t)} />}
      <TaskTable items={items} loading={loading} now={now} names={names} onCallBack={callBack} onComplete={(x) => void complete(x)} emptyText={t('workflow.myDay.empty')} testId="myday-today" />
      <Typography.Title level={5} className="cd-myday-upcoming" data-testid="myday-upcoming-title">
        {t('workflow.myDay.upcoming', { count: upcoming.length })}
      </Typography.Title>
      <TaskTable items={upcoming} now={now} names={names} onCallBack={callBack} onComplete={(x) => void complete(x)} emptyText={t('workflow.myDay.noUpcoming')} testId="myday-upcoming" />
    </div>
  );
}

/** One list of tasks: due time, kind, what, customer, call back and complete. */
function TaskTable(props: { items: Task[]; loading?: boolean; now: number; names: Record<number, string>; onCallBack(task: Task): void; onComplete(task: Task): void; emptyText: string; testId: string }) {
  const { t } = useTranslation();
  const { items, loading = false, now, names, onCallBack, onComplete, emptyText, testId } = props;
  return (
    <Table<Task>
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={items}
      data-testid={testId}
      pagination={false}
      tableLayout="auto"
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} /> }}
      rowClassName={(r) => (r.dueAt < now ? 'cd-task-overdue' : '')}
      onRow={(r) => ({ 'data-testid': 'task-row', 'data-task-id': r.id, 'data-kind': r.kind }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('workflow.myDay.due'), dataIndex: 'dueAt', width: 176, render: (v: number) => <DueTime dueAt={v} now={now} overdue={v < now} testId="task-due" /> },
        { title: t('workflow.myDay.kind'), dataIndex: 'kind', width: 86, render: (k: Task['kind']) => <Tag color={k === 'callback' ? 'blue' : 'purple'}>{t(`workflow.taskKind.${k}`)}</Tag> },
        {
          title: t('workflow.myDay.what'),
          dataIndex: 'title',
          render: (title: string, r) => (
            <span>
              <span className="cd-subject" data-testid="task-title">
                {title}
              </span>
              {r.ticketId && <span className="cd-ticket-id"> · {shortId(r.ticketId)}</span>}
              {r.notes && <div className="cd-tl-notes">{r.notes}</div>}
            </span>
          ),
        },
        { title: t('workflow.tickets.customer'), dataIndex: 'customerId', width: 110, ellipsis: true, render: (id: number | null) => (id === null ? '—' : (names[id] ?? `#${id}`)) },
        {
          title: t('workflow.myDay.phone'),
          key: 'actions',
          width: 250,
          render: (_: unknown, r) => (
            <Space size={4}>
              {r.phone && (
                <Button size="small" type="primary" icon={<PhoneOutlined />} onClick={() => onCallBack(r)} data-testid="task-callback" title={t('workflow.myDay.callBack')}>
                  {r.phone}
                </Button>
              )}
              <Button size="small" icon={<CheckOutlined />} onClick={() => onComplete(r)} data-testid="task-complete">
                {t('workflow.myDay.complete')}
              </Button>
            </Space>
          ),
        },
      ]}
    />
  );
}
