import { Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { relativeDuration } from './recordLabels';

/** "3 d 4 h", "2 h 5 min", "12 min" in the agent's language. */
export function spanText(t: TFunction, ms: number): string {
  const { days, hours, minutes } = relativeDuration(ms);
  if (days > 0) return t('workflow.time.dayHour', { d: days, h: hours });
  if (hours > 0) return t('workflow.time.hourMinute', { h: hours, m: minutes });
  return t('workflow.time.minute', { m: minutes });
}

/** A due time: the clock time (date when not today) and how far it is, red when overdue. */
/** `settled`: the work is done (resolved ticket, completed task): no overdue colouring, no countdown. */
/** `paused`: the SLA clock is paused (ticket pending, waiting on the customer): "paused" instead of a countdown, never red. */
export function DueTime({ dueAt, now, overdue, testId, settled = false, paused = false }: { dueAt: number; now: number; overdue: boolean; testId?: string; settled?: boolean; paused?: boolean }) {
  const { t, i18n } = useTranslation();
  const sameDay = new Date(dueAt).toDateString() === new Date(now).toDateString();
  const fmt = new Intl.DateTimeFormat(i18n.language, sameDay ? { timeStyle: 'short' } : { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const full = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(dueAt);
  const late = !settled && !paused && (overdue || dueAt < now);
  const rel = paused ? t('workflow.time.paused') : late ? t('workflow.time.overdueBy', { span: spanText(t, now - dueAt) }) : t('workflow.time.dueIn', { span: spanText(t, dueAt - now) });
  return (
    <Tooltip title={full}>
      <span className={late ? 'cd-due cd-due-late' : 'cd-due'} data-testid={testId} data-due-at={dueAt} data-overdue={late ? 'true' : 'false'} data-paused={paused ? 'true' : 'false'}>
        {fmt.format(dueAt)}
        {!settled && <span className="cd-due-rel"> ({rel})</span>}
      </span>
    </Tooltip>
  );
}
