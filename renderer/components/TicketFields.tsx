import { Form, Input, Segmented, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { TICKET_PRIORITIES, TICKET_TYPES, slaDueAt, type SlaRule, type TicketPriority, type TicketType } from '../../shared/ticket/ticket';
import type { FieldErrors } from './apiErrors';
import { categoryLabel } from './recordLabels';
import { DueTime } from './DueTime';

/** The editable fields of a new ticket. */
export interface TicketFieldValues {
  type: TicketType;
  priority: TicketPriority;
  category: string;
  subject: string;
  description: string;
}

/** Empty ticket fields (an inquiry, normal priority). */
export const EMPTY_TICKET: TicketFieldValues = { type: 'inquiry', priority: 'P3', category: '', subject: '', description: '' };

/** Props of {@link TicketFields}. */
export interface TicketFieldsProps {
  value: TicketFieldValues;
  onChange(next: TicketFieldValues): void;
  /** Problems by field (`type`, `subject`...; any prefix already stripped). */
  errors: FieldErrors;
  categories: readonly string[];
  slaRules: readonly SlaRule[];
  /** data-testid prefix, e.g. `wrapup-ticket` or `ticket-new`. */
  testId: string;
  /** Now, for the SLA preview (epoch ms). */
  now: number;
  /** The SLA due time to preview instead of "created now" (editing an existing ticket). */
  previewDueAt?: number;
}

/**
 * Type, priority, category, subject and description of a new ticket, with the SLA due time it
 * will get. Presentational: props only (used by the wrap-up panel and the new-ticket form).
 */
export function TicketFields({ value, onChange, errors, categories, slaRules, testId, now, previewDueAt }: TicketFieldsProps) {
  const { t, i18n } = useTranslation();
  const put = <K extends keyof TicketFieldValues>(k: K, v: TicketFieldValues[K]) => onChange({ ...value, [k]: v });
  const status = (k: string) => (errors[k] ? { validateStatus: 'error' as const, help: errors[k] } : {});
  return (
    <div className="cd-ticket-fields" data-testid={testId}>
      <div className="cd-ticket-row">
        <Form.Item label={t('workflow.tickets.type')} required {...status('type')}>
          <Segmented
            size="small"
            aria-label={t('workflow.tickets.type')}
            value={value.type}
            onChange={(v) => put('type', v as TicketType)}
            options={TICKET_TYPES.map((ty) => ({ value: ty, label: <span data-testid={`${testId}-type-${ty}`}>{t(`workflow.ticketType.${ty}`)}</span> }))}
          />
        </Form.Item>
        <Form.Item label={t('workflow.tickets.priority')} required {...status('priority')}>
          <Segmented
            size="small"
            aria-label={t('workflow.tickets.priority')}
            value={value.priority}
            onChange={(v) => put('priority', v as TicketPriority)}
            options={TICKET_PRIORITIES.map((p) => ({ value: p, label: <span data-testid={`${testId}-priority-${p}`} title={t(`workflow.ticketPriority.${p}`)}>{p}</span> }))}
          />
        </Form.Item>
        <Form.Item label={t('workflow.tickets.category')} {...status('category')} className="cd-ticket-category">
          {categories.length > 0 ? (
            <Select
              size="small"
              allowClear
              aria-label={t('workflow.tickets.category')}
              value={value.category || undefined}
              onChange={(v?: string) => put('category', v ?? '')}
              options={categories.map((c) => ({ value: c, label: categoryLabel(i18n, t, c) }))}
              placeholder={t('workflow.tickets.categoryPlaceholder')}
              data-testid={`${testId}-category`}
              optionRender={(o) => <span data-testid={`${testId}-category-${String(o.value)}`}>{o.label}</span>}
            />
          ) : (
            <Input size="small" aria-label={t('workflow.tickets.category')} value={value.category} onChange={(e) => put('category', e.target.value)} data-testid={`${testId}-category`} maxLength={60} />
          )}
        </Form.Item>
      </div>
      <Form.Item label={t('workflow.tickets.subject')} required {...status('subject')}>
        <Input size="small" aria-label={t('workflow.tickets.subject')} value={value.subject} onChange={(e) => put('subject', e.target.value)} maxLength={200} data-testid={`${testId}-subject`} />
      </Form.Item>
      <Form.Item label={t('workflow.tickets.description')} {...status('description')}>
        <Input.TextArea size="small" aria-label={t('workflow.tickets.description')} value={value.description} onChange={(e) => put('description', e.target.value)} autoSize={{ minRows: 2, maxRows: 6 }} data-testid={`${testId}-description`} />
      </Form.Item>
      <Typography.Text type="secondary" className="cd-sla-preview">
        {t('workflow.tickets.slaPreview')} <DueTime dueAt={previewDueAt ?? slaDueAt(slaRules, value.type, value.priority, now)} now={now} overdue={false} testId={`${testId}-sla`} />
      </Typography.Text>
    </div>
  );
}
