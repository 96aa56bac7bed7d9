import { BellOutlined, PhoneOutlined } from '@ant-design/icons';
import { Button, notification } from 'antd';
import { useEffect } from 'react';
import { usePhoneStore } from '../../stores/phoneStore';
import { useTaskStore } from '../../stores/taskStore';
import { Translated } from '../../components/Translated';

/** Shows each `task:reminder` as a notification with call back (callbacks) when it arrives. */
export function ReminderNotifier() {
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
        title: <Translated text={(tr) => tr('workflow.myDay.reminderTitle', { kind: tr(`workflow.taskKind.${task.kind}`) })} />,
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
            <Translated text={(tr) => tr('workflow.myDay.callBack')} />
          </Button>
        ) : undefined,
      });
    }
  }, [pending, take, api, run]);
  return holder;
}
