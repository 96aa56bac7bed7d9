import { BellOutlined, PhoneOutlined } from '@ant-design/icons';
import { Button, notification } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { usePhoneStore } from '../../stores/phoneStore';
import { useTaskStore } from '../../stores/taskStore';

/** Shows each `task:reminder` as a notification with call back (callbacks) when it arrives. */
export function ReminderNotifier() {
  const { t } = useTranslation();
  const [api, holder] = notification.useNotification({ placement: 'bottomRight', maxCount: 5 });
  const pending = useTaskStore((s) => s.reminders.length);
  const take = useTaskStore((s) => s.takeReminders);
  const run = usePhoneStore((s) => s.run);
  useEffect(() => {
    if (pending === 0) return;
    for (const task of take()) {
      const key = `reminder-${task.id}`;
      const phone = task.phone;
      api.open({
        key,
        icon: <BellOutlined style={{ color: '#d48806' }} />,
        title: t('workflow.myDay.reminderTitle', { kind: t(`workflow.taskKind.${task.kind}`) }),
        description: (
          <span data-testid="task-reminder" data-task-id={task.id}>
            {task.title}
            {phone ? ` · ${phone}` : ''}
          </span>
        ),
        duration: 0,
        actions: phone ? (
          <Button
            type="primary"
            size="small"
            icon={<PhoneOutlined />}
            onClick={() => {
              api.destroy(key);
              void run((a) => a.call.dial({ target: phone }));
            }}
          >
            {t('workflow.myDay.callBack')}
          </Button>
        ) : undefined,
      });
    }
  }, [pending, take, api, run, t]);
  return holder;
}
