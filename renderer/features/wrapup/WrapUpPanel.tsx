import { ClockCircleOutlined, FileDoneOutlined, PhoneOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Form, Input, Segmented, Select, Space, Tag, Tooltip, Typography, message } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { wrapUpSubmitSchema, type WrapUpSubmit } from '../../../shared/agent/api';
import { settingValue, SETTING_DEFAULTS } from '../../../shared/settings/definitions';
import type { TaskKind } from '../../../shared/task/task';
import { OPEN_TICKET_STATUSES, type Ticket } from '../../../shared/ticket/ticket';
import type { WrapUpSnapshot } from '../../../shared/agent/wrapup';
import { CallTimer, formatDuration } from '../../components/CallTimer';
import { fromLocalInput, toLocalInput } from '../../components/localDateTime';
import { useAgentStore } from '../../stores/agentStore';
import { useCoreStore } from '../../stores/coreStore';
import { useCustomerStore } from '../../stores/customerStore';
import { useTicketStore } from '../../stores/ticketStore';
import { CustomerPicker } from '../ticket/CustomerPicker';
import { EMPTY_TICKET, TicketFields, type TicketFieldValues } from '../../components/TicketFields';
import { apiErrorText, fieldErrors, issuesToFields, type FieldErrors } from '../../components/apiErrors';
import { dispositionGroupLabel, dispositionLabel, shortId } from '../../components/recordLabels';
import '../../components/records.css';
import { Translated } from '../../components/Translated';

/** How the wrap-up deals with tickets. */
type TicketMode = 'none' | 'link' | 'create';

/** A follow-up being scheduled. */
interface FollowUpDraft {
  enabled: boolean;
  kind: TaskKind;
  title: string;
  /** `YYYY-MM-DDTHH:mm` local time, as a datetime-local input holds it. */
  due: string;
}

/** Tomorrow at 09:00 local time. */
function tomorrowNine(now: number): number {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  return d.getTime();
}

/** The countdown of a time-boxed wrap-up: m:ss left, red in the last 10 seconds. */
export function WrapUpCountdown({ deadline }: { deadline: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, deadline - now);
  return (
    <span className={`cd-countdown${left <= 10_000 ? ' cd-countdown-low' : ''}`} data-testid="wrapup-countdown" data-deadline={deadline} role="timer">
      <ClockCircleOutlined /> {formatDuration(left + 999)}
    </span>
  );
}

/**
 * After-call work, shown above the page while the agent is in wrap-up: the countdown of a
 * time-boxed wrap-up (extend once), the disposition (grouped, mandatory marked), notes, a ticket to
 * link or create (prefilled from the call), a follow-up to schedule; one submit (Alt+W) writes it
 * all in one `wrapup:submit`. Refusals are shown at the field they concern.
 */
export function WrapUpPanel() {
  const wrapUp = useAgentStore((s) => s.agent?.wrapUp ?? null);
  if (!wrapUp) return null;
  return <WrapUpForm key={wrapUp.interactionId} wrapUp={wrapUp} />;
}

function WrapUpForm({ wrapUp }: { wrapUp: WrapUpSnapshot }) {
  const { t, i18n } = useTranslation();
  const settings = useCoreStore((s) => s.state?.settings);
  const groups = settings ? settingValue(settings, 'wrapup.dispositions') : SETTING_DEFAULTS['wrapup.dispositions'];
  const categories = settings ? settingValue(settings, 'tickets.categories') : SETTING_DEFAULTS['tickets.categories'];
  const slaRules = settings ? settingValue(settings, 'tickets.slaRules') : SETTING_DEFAULTS['tickets.slaRules'];
  const submit = useAgentStore((s) => s.submitWrapUp);
  const extend = useAgentStore((s) => s.extendWrapUp);
  const setAgentState = useAgentStore((s) => s.setState);
  const callTickets = useTicketStore((s) => s.call);
  const revision = useTicketStore((s) => s.revision);
  // The customer: the core's match, else the one the agent picked or created on the screen pop, else chosen here.
  const popCustomer = useCustomerStore((s) => {
    const pop = s.pops[wrapUp.callId]?.result;
    return pop?.kind === 'match' ? pop.customer : null;
  });
  const [customer, setCustomer] = useState<{ id: number | null; name: string }>(() => ({ id: wrapUp.customerId ?? popCustomer?.id ?? null, name: popCustomer?.name ?? '' }));
  const customerName = useTicketStore((s) => (customer.id !== null ? s.names[customer.id] : undefined)) ?? (customer.name || undefined);
  const ensureNames = useTicketStore((s) => s.ensureNames);
  useEffect(() => {
    ensureNames([customer.id]);
  }, [ensureNames, customer.id]);
  // The agent may pick the caller on the screen pop after the call ended: the wrap-up follows.
  useEffect(() => {
    if (popCustomer) setCustomer((c) => (c.id === null ? { id: popCustomer.id, name: popCustomer.name } : c));
  }, [popCustomer]);
  const openTicket = useTicketStore((s) => s.openTicket);
  const [toast, holder] = message.useMessage();
  const cardRef = useRef<HTMLDivElement>(null);
  // The agent may have scrolled the page: bring the wrap-up into view when it starts.
  useEffect(() => {
    cardRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, []);

  const [disposition, setDisposition] = useState<string | undefined>(undefined);
  const [notes, setNotes] = useState('');
  const [mode, setMode] = useState<TicketMode>('none');
  const [linkIds, setLinkIds] = useState<string[]>([]);
  const [ticket, setTicket] = useState<TicketFieldValues>(() => ({ ...EMPTY_TICKET, subject: wrapUp.remoteName || wrapUp.remoteNumber }));
  const [drafted, setDrafted] = useState(false);
  const [followUp, setFollowUp] = useState<FollowUpDraft>({ enabled: false, kind: 'callback', title: '', due: toLocalInput(Date.now() + 3_600_000) });
  const [candidates, setCandidates] = useState<Ticket[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [now] = useState(() => Date.now());

  // Open tickets the call may belong to: the customer's, else the agent's own.
  useEffect(() => {
    const customerId = customer.id;
    void callTickets((api) => (customerId ? api.ticket.list({ view: 'by-customer', customerId }) : api.ticket.list({ view: 'my-open' }))).then(
      (r) => r.ok && setCandidates(r.value.items.filter((x) => OPEN_TICKET_STATUSES.includes(x.status))),
    );
  }, [callTickets, customer.id, revision]);

  // A new ticket starts from the call's draft (subject, description, customer, SLA).
  useEffect(() => {
    if (mode !== 'create' || drafted) return;
    setDrafted(true);
    void callTickets((api) => api.ticket.draft({ interactionId: wrapUp.interactionId })).then((r) => {
      if (r.ok) setTicket((cur) => ({ ...cur, subject: r.value.subject || cur.subject, description: cur.description || r.value.description, priority: cur.priority }));
    });
  }, [mode, drafted, callTickets, wrapUp.interactionId]);

  const name = customerName ?? wrapUp.remoteName;
  const request = (): Partial<WrapUpSubmit> => ({
    ...(customer.id !== wrapUp.customerId ? { customerId: customer.id } : {}),
    disposition: disposition ?? null,
    notes,
    linkTicketIds: mode === 'link' ? linkIds : [],
    ...(mode === 'create' ? { createTicket: { ...ticket, interactionIds: [] } } : {}),
    ...(followUp.enabled
      ? {
          followUp: {
            kind: followUp.kind,
            title: followUp.title.trim() || t(followUp.kind === 'callback' ? 'workflow.wrapUp.callbackTitle' : 'workflow.wrapUp.followUpTitle', { name: name || wrapUp.remoteNumber }),
            dueAt: fromLocalInput(followUp.due),
            notes: '',
          },
        }
      : {}),
  });

  const onSubmit = async () => {
    if (busy) return;
    setFormError(null);
    const req = request();
    const local: FieldErrors = {};
    if (wrapUp.dispositionRequired && !req.disposition) local.disposition = t('workflow.missingField.disposition');
    if (wrapUp.notesRequired && !notes.trim()) local.notes = t('workflow.missingField.notes');
    if (req.followUp && !Number.isFinite(req.followUp.dueAt)) local['followUp.dueAt'] = t('workflow.wrapUp.dueInvalid');
    const parsed = wrapUpSubmitSchema.safeParse(req);
    const all = { ...(parsed.success ? {} : issuesToFields(parsed.error.issues)), ...local };
    if (Object.keys(all).length > 0) return setErrors(all);
    setErrors({});
    setBusy(true);
    const r = await submit(req);
    setBusy(false);
    if (!r.ok) {
      const fields = fieldErrors(r.error, i18n, t);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setFormError(apiErrorText(r.error, t));
      return;
    }
    const ticket = r.value.ticket;
    void toast.success({ content: <Translated text={(tr) => (ticket ? tr('workflow.wrapUp.savedWithTicket', { id: shortId(ticket.id) }) : tr('workflow.wrapUp.saved'))} />, duration: 2 });
  };

  // Alt+W submits this form (the shortcut calls the agent store's submitWrapUpForm, never the button).
  const submitRef = useRef(onSubmit);
  submitRef.current = onSubmit;
  const setWrapUpForm = useAgentStore((s) => s.setWrapUpForm);
  useEffect(() => {
    setWrapUpForm(() => void submitRef.current());
    return () => setWrapUpForm(null);
  }, [setWrapUpForm]);

  const onExtend = async () => {
    const r = await extend();
    if (!r.ok) setFormError(apiErrorText(r.error, t));
  };

  const onSkip = async () => {
    const r = await setAgentState('ready');
    if (!r.ok) setFormError(apiErrorText(r.error, t));
  };

  const status = (k: string) => (errors[k] ? { validateStatus: 'error' as const, help: errors[k] } : {});
  const ticketErrors = Object.fromEntries(
    Object.entries(errors)
      .filter(([k]) => k.startsWith('createTicket.'))
      .map(([k, v]) => [k.slice('createTicket.'.length), v]),
  );
  const who = name ? `${name} · ${wrapUp.remoteNumber}` : wrapUp.remoteNumber;

  return (
    <Card ref={cardRef} size="small" className={`cd-wrapup cd-wrapup-${wrapUp.mode}`} data-testid="wrapup-panel" data-mode={wrapUp.mode} data-interaction-id={wrapUp.interactionId}>
      {holder}
      <div className="cd-wrapup-bar">
        <Space size={8} wrap>
          <FileDoneOutlined className="cd-wrapup-icon" />
          <Typography.Text strong>{t('workflow.wrapUp.title')}</Typography.Text>
          <span className="cd-wrapup-who">
            <PhoneOutlined rotate={wrapUp.direction === 'inbound' ? 135 : -45} /> {who}
          </span>
          <Tag>{t(`workflow.wrapUpMode.${wrapUp.mode}`)}</Tag>
          {wrapUp.deadline !== null ? (
            <WrapUpCountdown deadline={wrapUp.deadline} />
          ) : (
            <span className="cd-wrapup-elapsed">
              <ClockCircleOutlined /> <CallTimer since={wrapUp.startedAt} testId="wrapup-elapsed" />
            </span>
          )}
          {wrapUp.canExtend && (
            <Tooltip title={t('workflow.wrapUp.extendHint')}>
              <Button size="small" icon={<PlusOutlined />} onClick={() => void onExtend()} data-testid="wrapup-extend">
                {t('workflow.wrapUp.extend')}
              </Button>
            </Tooltip>
          )}
          {wrapUp.extended && <Tag color="orange">{t('workflow.wrapUp.extended')}</Tag>}
        </Space>
        <Space size={6}>
          {wrapUp.canSkip && (
            <Button size="small" onClick={() => void onSkip()} data-testid="wrapup-skip">
              {t('workflow.wrapUp.skip')}
            </Button>
          )}
          <Button type="primary" size="small" loading={busy} onClick={() => void onSubmit()} data-testid="wrapup-submit">
            {t('workflow.wrapUp.submit')} <Typography.Text keyboard className="cd-kbd">Alt+W</Typography.Text>
          </Button>
        </Space>
      </div>
      {formError && <Alert type="error" showIcon closable onClose={() => setFormError(null)} title={formError} data-testid="wrapup-error" className="cd-wrapup-alert" />}
      <Form layout="vertical" size="small" className="cd-wrapup-form" onFinish={() => void onSubmit()} component="div">
        <div className="cd-wrapup-col">
          {wrapUp.customerId === null && (
            <Form.Item label={t('workflow.tickets.customer')} {...status('customerId')}>
              <CustomerPicker value={customer.id} valueName={customer.name} onChange={(id, n) => setCustomer({ id, name: n })} testId="wrapup-customer" />
            </Form.Item>
          )}
          <Form.Item label={t('workflow.wrapUp.disposition')} required={wrapUp.dispositionRequired} {...status('disposition')}>
            <Select
              autoFocus
              aria-label={t('workflow.wrapUp.disposition')}
              showSearch={{ optionFilterProp: 'label' }}
              allowClear
              value={disposition}
              onChange={(v?: string) => {
                setDisposition(v);
                setErrors(({ disposition: _d, ...rest }) => rest);
              }}
              placeholder={t('workflow.wrapUp.dispositionPlaceholder')}
              options={groups.map((g) => ({
                label: dispositionGroupLabel(i18n, t, g),
                title: g.code,
                options: g.dispositions.map((d) => ({ value: d.code, label: dispositionLabel(i18n, t, d.code, groups) })),
              }))}
              optionRender={(o) => <span data-testid={`disposition-${String(o.value)}`}>{o.label}</span>}
              data-testid="wrapup-disposition"
            />
          </Form.Item>
          <Form.Item label={t('workflow.wrapUp.notes')} required={wrapUp.notesRequired} {...status('notes')}>
            <Input.TextArea
              aria-label={t('workflow.wrapUp.notes')}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
              autoSize={{ minRows: 3, maxRows: 8 }}
              placeholder={t('workflow.wrapUp.notesPlaceholder')}
              maxLength={20_000}
              data-testid="wrapup-notes"
            />
          </Form.Item>
          <div className="cd-wrapup-followup">
            <Checkbox checked={followUp.enabled} onChange={(e) => setFollowUp({ ...followUp, enabled: e.target.checked })} data-testid="wrapup-followup-toggle">
              {t('workflow.wrapUp.scheduleFollowUp')}
            </Checkbox>
            {followUp.enabled && (
              <div className="cd-wrapup-followup-fields">
                <Segmented
                  size="small"
                  value={followUp.kind}
                  onChange={(v) => setFollowUp({ ...followUp, kind: v as TaskKind })}
                  options={(['callback', 'follow-up'] as const).map((k) => ({ value: k, label: <span data-testid={`wrapup-followup-kind-${k}`}>{t(`workflow.taskKind.${k}`)}</span> }))}
                />
                <Form.Item label={t('workflow.wrapUp.followUpWhat')} {...status('followUp.title')}>
                  <Input
                    aria-label={t('workflow.wrapUp.followUpWhat')}
                    value={followUp.title}
                    onChange={(e) => setFollowUp({ ...followUp, title: e.target.value })}
                    placeholder={t(followUp.kind === 'callback' ? 'workflow.wrapUp.callbackTitle' : 'workflow.wrapUp.followUpTitle', { name: name || wrapUp.remoteNumber })}
                    maxLength={200}
                    data-testid="wrapup-followup-title"
                  />
                </Form.Item>
                <Form.Item label={t('workflow.wrapUp.due')} required {...status('followUp.dueAt')}>
                  <div className="cd-wrapup-due">
                    <Input type="datetime-local" aria-label={t('workflow.wrapUp.due')} value={followUp.due} onChange={(e) => setFollowUp({ ...followUp, due: e.target.value })} data-testid="wrapup-followup-due" className="cd-wrapup-due-input" />
                    <Button onClick={() => setFollowUp({ ...followUp, due: toLocalInput(Date.now() + 3_600_000) })} data-testid="wrapup-due-hour">
                      {t('workflow.wrapUp.inOneHour')}
                    </Button>
                    <Button onClick={() => setFollowUp({ ...followUp, due: toLocalInput(tomorrowNine(Date.now())) })} data-testid="wrapup-due-tomorrow">
                      {t('workflow.wrapUp.tomorrow')}
                    </Button>
                  </div>
                </Form.Item>
              </div>
            )}
          </div>
        </div>
        <div className="cd-wrapup-col">
          {wrapUp.ticketIds.length > 0 && (
            <div className="cd-wrapup-linked" data-testid="wrapup-linked">
              <Typography.Text type="secondary">{t('workflow.wrapUp.linkedDuringCall')}</Typography.Text>
              {wrapUp.ticketIds.map((id) => (
                <Tag key={id} color="blue" className="cd-clickable" onClick={() => openTicket(id)} data-testid="wrapup-linked-ticket" data-ticket-id={id}>
                  {shortId(id)}
                </Tag>
              ))}
            </div>
          )}
          <Form.Item label={t('workflow.wrapUp.ticket')}>
            <Segmented
              size="small"
              value={mode}
              onChange={(v) => setMode(v as TicketMode)}
              options={(['none', 'link', 'create'] as const).map((m) => ({
                value: m,
                label: <span data-testid={`wrapup-ticket-mode-${m}`}>{t(`workflow.wrapUp.ticketMode.${m === 'none' && wrapUp.ticketIds.length > 0 ? 'noneMore' : m}`)}</span>,
              }))}
            />
          </Form.Item>
          {mode === 'link' && (
            <Form.Item label={t('workflow.wrapUp.linkTickets')} {...status('linkTicketIds')}>
              <Select
                mode="multiple"
                aria-label={t('workflow.wrapUp.linkTickets')}
                value={linkIds}
                onChange={setLinkIds}
                placeholder={candidates.length === 0 ? t('workflow.wrapUp.noOpenTickets') : t('workflow.wrapUp.linkPlaceholder')}
                options={candidates.map((c) => ({ value: c.id, label: `${shortId(c.id)} · ${c.subject}` }))}
                optionRender={(o) => <span data-testid={`wrapup-link-${String(o.value)}`}>{o.label}</span>}
                data-testid="wrapup-link-tickets"
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
          )}
          {mode === 'create' && (
            <TicketFields value={ticket} onChange={setTicket} errors={ticketErrors} categories={categories} slaRules={slaRules} testId="wrapup-ticket" now={now} />
          )}
          {mode === 'none' && wrapUp.ticketIds.length === 0 && <Typography.Text type="secondary">{t('workflow.wrapUp.noTicketHint')}</Typography.Text>}
        </div>
      </Form>
    </Card>
  );
}
