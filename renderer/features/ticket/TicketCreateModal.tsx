import { Alert, Form, Modal, message } from 'antd';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { settingValue, SETTING_DEFAULTS } from '../../../shared/settings/definitions';
import { ticketCreateSchema } from '../../../shared/ticket/ticket';
import { useCoreStore } from '../../stores/coreStore';
import { useTicketStore, type TicketPrefill } from '../../stores/ticketStore';
import { useRequestForm } from '../forms/useRequestForm';
import { shortId } from '../../components/recordLabels';
import { CustomerPicker } from './CustomerPicker';
import { EMPTY_TICKET, TicketFields, type TicketFieldValues } from '../../components/TicketFields';
import { Translated } from '../../components/Translated';

/** The new-ticket form (Alt+N, the Tickets page, a customer's card), prefilled from the call when there is one. */
export function TicketCreateModal() {
  const prefill = useTicketStore((s) => s.create);
  if (!prefill) return null;
  return <CreateForm prefill={prefill} />;
}

function CreateForm({ prefill }: { prefill: TicketPrefill }) {
  const { t } = useTranslation();
  const close = useTicketStore((s) => s.closeCreate);
  const call = useTicketStore((s) => s.call);
  const settings = useCoreStore((s) => s.state?.settings);
  const categories = settings ? settingValue(settings, 'tickets.categories') : SETTING_DEFAULTS['tickets.categories'];
  const slaRules = settings ? settingValue(settings, 'tickets.slaRules') : SETTING_DEFAULTS['tickets.slaRules'];
  const [fields, setFields] = useState<TicketFieldValues>({
    ...EMPTY_TICKET,
    ...(prefill.type ? { type: prefill.type } : {}),
    ...(prefill.priority ? { priority: prefill.priority } : {}),
    category: prefill.category ?? '',
    subject: prefill.subject ?? '',
    description: prefill.description ?? '',
  });
  const [customer, setCustomer] = useState<{ id: number | null; name: string }>({ id: prefill.customerId ?? null, name: prefill.customerName ?? '' });
  const { errors, formError, setFormError, busy, send, invalid } = useRequestForm();
  const [now] = useState(() => Date.now());
  const [toast, holder] = message.useMessage();

  useEffect(() => {
    const from = prefill.fromInteractionId;
    if (!from) return;
    void call((api) => api.ticket.draft({ interactionId: from })).then((r) => {
      if (!r.ok) return;
      setFields((f) => ({ ...f, subject: f.subject || r.value.subject, description: f.description || r.value.description }));
      if (r.value.customerId !== null) setCustomer((c) => (c.id === null ? { id: r.value.customerId, name: '' } : c));
    });
  }, [call, prefill.fromInteractionId]);

  const names = useTicketStore((s) => s.names);
  const ensureNames = useTicketStore((s) => s.ensureNames);
  useEffect(() => {
    ensureNames([customer.id]);
  }, [customer.id, ensureNames]);

  const submit = async () => {
    setFormError(null);
    const req = {
      ...fields,
      customerId: customer.id,
      interactionIds: prefill.interactionIds ?? [],
      ...(prefill.fromInteractionId ? { fromInteractionId: prefill.fromInteractionId } : {}),
      ...(prefill.fromCallId ? { fromCallId: prefill.fromCallId } : {}),
    };
    const parsed = ticketCreateSchema.safeParse(req);
    if (!parsed.success) return invalid(parsed.error.issues);
    const ticket = await send(() => call((api) => api.ticket.create(req)));
    if (!ticket) return;
    void toast.success({ content: <Translated text={(tr) => tr('workflow.tickets.createdToast', { id: shortId(ticket.id) })} />, duration: 2 });
    close();
  };

  // Keyboard first: the form opens on the subject (Alt+N), and Enter in a one-line field creates it.
  const body = useRef<HTMLDivElement>(null);
  const focusSubject = useCallback(() => body.current?.querySelector<HTMLInputElement>('[data-testid=ticket-new-subject]')?.focus(), []);
  useEffect(() => {
    const timer = setTimeout(focusSubject, 0);
    return () => clearTimeout(timer);
  }, [focusSubject]);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (e.key !== 'Enter' || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey || e.nativeEvent.isComposing) return;
    if (!(target instanceof HTMLInputElement) || target.getAttribute('role') === 'combobox') return;
    e.preventDefault();
    void submit();
  };

  return (
    <Modal
      open
      afterOpenChange={(open) => open && focusSubject()}
      title={t('workflow.tickets.newTitle')}
      onCancel={close}
      onOk={() => void submit()}
      okText={t('workflow.tickets.create')}
      cancelText={t('workflow.common.cancel')}
      confirmLoading={busy}
      width={640}
      okButtonProps={{ 'data-testid': 'ticket-new-submit' }}
      data-testid="ticket-new-modal"
      destroyOnHidden
    >
      {holder}
      <div ref={body} onKeyDown={onKeyDown}>
        {formError && <Alert type="error" showIcon title={formError} data-testid="ticket-new-error" style={{ marginBottom: 8 }} />}
        <Form layout="vertical" size="small" component="div" className="cd-wrapup-form-single">
          <Form.Item label={t('workflow.tickets.customer')} {...(errors.customerId ? { validateStatus: 'error' as const, help: errors.customerId } : {})}>
            <CustomerPicker value={customer.id} valueName={customer.name || (customer.id !== null ? names[customer.id] : undefined)} onChange={(id, name) => setCustomer({ id, name })} testId="ticket-new-customer" />
          </Form.Item>
          <TicketFields value={fields} onChange={setFields} errors={errors} categories={categories} slaRules={slaRules} testId="ticket-new" now={now} />
        </Form>
      </div>
    </Modal>
  );
}
