import { CheckOutlined, PhoneOutlined } from '@ant-design/icons';
import { Button, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Task } from '../../../shared/task/task';
import { usePhoneStore } from '../../stores/phoneStore';
import { useTaskStore } from '../../stores/taskStore';
import { DueTime } from '../../components/DueTime';
import '../../components/records.css';

/** A customer's open follow-ups and callbacks (any due date, soonest first), with call back and done. */
export function CustomerTasks({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const call = useTaskStore((s) => s.call);
  const revision = useTaskStore((s) => s.revision);
  const dial = usePhoneStore((s) => s.run);
  const [items, setItems] = useState<Task[]>([]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    void call((api) => api.task.list({ view: 'by-customer', customerId, limit: 200 })).then((r) => {
      setNow(Date.now());
      if (r.ok) setItems(r.value.items.filter((x) => x.status === 'open').sort((a, b) => a.dueAt - b.dueAt));
    });
  }, [call, customerId, revision]);
  const complete = (task: Task) => void call((api) => api.task.complete({ id: task.id, version: task.version }));
  return (
    <section className="cd-customer-tasks" data-testid="customer-tasks" data-count={items.length}>
      <div className="cd-timeline-head">
        <Typography.Text strong>
          {t('workflow.timeline.tasks')} <Typography.Text type="secondary">({items.length})</Typography.Text>
        </Typography.Text>
      </div>
      {items.length === 0 ? (
        <Typography.Text type="secondary">{t('workflow.timeline.noTasks')}</Typography.Text>
      ) : (
        items.map((x) => (
          <div key={x.id} className="cd-open-ticket" data-testid="customer-task" data-task-id={x.id}>
            <Tag color={x.kind === 'callback' ? 'blue' : 'purple'}>{t(`workflow.taskKind.${x.kind}`)}</Tag>
            <span className="cd-subject cd-ellipsis">{x.title}</span>
            <DueTime dueAt={x.dueAt} now={now} overdue={x.dueAt < now} testId="customer-task-due" />
            {x.phone && (
              <Button size="small" type="text" icon={<PhoneOutlined />} aria-label={t('workflow.myDay.callBack')} title={t('workflow.myDay.callBack')} onClick={() => void dial((api) => api.call.dial({ target: x.phone! }))} />
            )}
            <Button size="small" type="text" icon={<CheckOutlined />} aria-label={t('workflow.myDay.complete')} title={t('workflow.myDay.complete')} onClick={() => complete(x)} data-testid="customer-task-complete" />
          </div>
        ))
      )}
    </section>
  );
}
