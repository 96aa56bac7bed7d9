import { Alert, Button, Form, Input, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../shared/api/result';
import { settingValue, SETTING_DEFAULTS } from '../../../shared/settings/definitions';
import { dueAfterSlaChange, ticketUpdateSchema, type Ticket, type TicketUpdate } from '../../../shared/ticket/ticket';
import { useAgentStore } from '../../stores/agentStore';
import { useCoreStore } from '../../stores/coreStore';
import { useTicketStore } from '../../stores/ticketStore';
import type { FieldErrors } from '../../components/apiErrors';
import { useRequestForm } from '../forms/useRequestForm';
import { CustomerPicker } from './CustomerPicker';
import { TicketFields, type TicketFieldValues } from '../../components/TicketFields';

/** What the edit form can change. */
interface EditValues extends TicketFieldValues {
  customerId: number | null;
  /** Free text: an agent id; empty means unassigned. */
  assignee: string;
}

type Changes = TicketUpdate['changes'];

function valuesOf(t: Ticket): EditValues {
  return { type: t.type, priority: t.priority, category: t.category, subject: t.subject, description: t.description, customerId: t.customerId, assignee: t.assignee ?? '' };
}

/** The fields whose edited value differs from the ticket (trimmed as the core stores them). */
function ticketChanges(ticket: Ticket, v: EditValues): Changes {
  const out: Changes = {};
  if (v.type !== ticket.type) out.type = v.type;
  if (v.priority !== ticket.priority) out.priority = v.priority;
  if (v.category.trim() !== ticket.category) out.category = v.category.trim();
  if (v.subject.trim() !== ticket.subject) out.subject = v.subject.trim();
  if (v.description !== ticket.description) out.description = v.description;
  if (v.customerId !== ticket.customerId) out.customerId = v.customerId;
  const assignee = v.assignee.trim() === '' ? null : v.assignee.trim();
  if (assignee !== ticket.assignee) out.assignee = assignee;
  return out;
}

/** Field problems keyed as the form shows them (`changes.subject` -> `subject`). */
function unprefixed(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) out[k.startsWith('changes.') ? k.slice('changes.'.length) : k] ??= v;
  return out;
}

/** Props of {@link TicketEditForm}. */
export interface TicketEditFormProps {
  /** The ticket as last loaded; the form diffs against it and sends its version. */
  ticket: Ticket;
  /** The core saved the change. */
  onSaved(ticket: Ticket): void;
  onCancel(): void;
  /** Someone changed the ticket first (CONFLICT): load the fresh ticket (the form keeps the agent's edits on top). */
  onStale(): void;
}

/**
 * Edits a ticket in its drawer: type, priority, category, subject, description, customer and
 * assignee, prefilled from the ticket. Only the fields the agent changed are sent (`ticket:update`,
 * on the ticket's version). Problems are shown at their fields; a CONFLICT (someone else, or the
 * central server, changed the ticket meanwhile) says so, reloads the ticket and keeps the agent's own
 * changes on top of the fresh values, so saving again changes only what the agent changed.
 */
export function TicketEditForm({ ticket, onSaved, onCancel, onStale }: TicketEditFormProps) {
  const { t } = useTranslation();
  const call = useTicketStore((s) => s.call);
  const names = useTicketStore((s) => s.names);
  const ensureNames = useTicketStore((s) => s.ensureNames);
  const me = useAgentStore((s) => s.agent?.agentId ?? null);
  const settings = useCoreStore((s) => s.state?.settings);
  const categories = settings ? settingValue(settings, 'tickets.categories') : SETTING_DEFAULTS['tickets.categories'];
  const slaRules = settings ? settingValue(settings, 'tickets.slaRules') : SETTING_DEFAULTS['tickets.slaRules'];
  const { errors, formError, setFormError, busy, send, invalid } = useRequestForm();
  // Only what the agent touched: a reloaded ticket shows through every other field.
  const [edits, setEdits] = useState<Partial<EditValues>>({});
  const [customerName, setCustomerName] = useState('');
  const [conflict, setConflict] = useState(false);
  const [now] = useState(() => Date.now());

  const values: EditValues = { ...valuesOf(ticket), ...edits };
  const changes = ticketChanges(ticket, values);
  const dirty = Object.keys(changes).length > 0;
  const put = (next: Partial<EditValues>) => setEdits((e) => ({ ...e, ...next }));
  const onFields = (f: TicketFieldValues) => {
    const touched: Partial<TicketFieldValues> = {};
    for (const k of ['type', 'priority', 'category', 'subject', 'description'] as const) if (f[k] !== values[k]) Object.assign(touched, { [k]: f[k] });
    put(touched);
  };

  useEffect(() => {
    ensureNames([values.customerId]);
  }, [values.customerId, ensureNames]);

  const previewDueAt = values.type !== ticket.type || values.priority !== ticket.priority ? dueAfterSlaChange(slaRules, ticket, values.type, values.priority) : ticket.dueAt;

  const save = async () => {
    setFormError(null);
    const req = { id: ticket.id, version: ticket.version, changes, linkInteractionIds: [] };
    const parsed = ticketUpdateSchema.safeParse(req);
    if (!parsed.success) return invalid(parsed.error.issues);
    let refused: ApiError | null = null;
    const saved = await send(async () => {
      const r = await call((api) => api.ticket.update(parsed.data));
      if (!r.ok) refused = r.error;
      return r;
    });
    if (saved) {
      setConflict(false);
      onSaved(saved);
      return;
    }
    if ((refused as ApiError | null)?.code === 'CONFLICT') {
      setFormError(null);
      setConflict(true);
      onStale();
    }
  };

  const fieldErrors = unprefixed(errors);
  return (
    <div className="cd-ticket-edit" data-testid="ticket-edit-form">
      {conflict && <Alert type="warning" showIcon closable onClose={() => setConflict(false)} title={t('workflow.tickets.edit.conflict')} data-testid="ticket-edit-conflict" style={{ marginBottom: 8 }} />}
      {formError && <Alert type="error" showIcon title={formError} data-testid="ticket-edit-error" style={{ marginBottom: 8 }} />}
      <Form layout="vertical" size="small" component="div" className="cd-wrapup-form-single">
        <Form.Item label={t('workflow.tickets.customer')} {...(fieldErrors.customerId ? { validateStatus: 'error' as const, help: fieldErrors.customerId } : {})}>
          <CustomerPicker
            value={values.customerId}
            valueName={customerName || (values.customerId !== null ? names[values.customerId] : undefined)}
            onChange={(id, name) => {
              setCustomerName(name);
              put({ customerId: id });
            }}
            testId="ticket-edit-customer"
          />
        </Form.Item>
        <TicketFields value={values} onChange={onFields} errors={fieldErrors} categories={categories} slaRules={slaRules} testId="ticket-edit" now={now} previewDueAt={previewDueAt} />
        <Form.Item label={t('workflow.tickets.assignee')} {...(fieldErrors.assignee ? { validateStatus: 'error' as const, help: fieldErrors.assignee } : {})}>
          <Space.Compact style={{ width: '100%' }}>
            <Input size="small" value={values.assignee} onChange={(e) => put({ assignee: e.target.value })} maxLength={100} placeholder={t('workflow.tickets.edit.assigneePlaceholder')} data-testid="ticket-edit-assignee" />
            <Button size="small" disabled={me === null || values.assignee.trim() === me} onClick={() => me !== null && put({ assignee: me })} data-testid="ticket-edit-assign-me">
              {t('workflow.tickets.edit.assignToMe')}
            </Button>
          </Space.Compact>
        </Form.Item>
      </Form>
      <Space>
        <Button type="primary" size="small" loading={busy} disabled={!dirty} onClick={() => void save()} data-testid="ticket-edit-save">
          {t('workflow.tickets.edit.save')}
        </Button>
        <Button size="small" disabled={busy} onClick={onCancel} data-testid="ticket-edit-cancel">
          {t('workflow.common.cancel')}
        </Button>
      </Space>
    </div>
  );
}
