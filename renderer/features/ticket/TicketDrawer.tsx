import { SERVER_HISTORY_AUTHOR } from '../../../shared/sync/api';
import { Alert, Button, Descriptions, Drawer, Form, Input, Modal, Rate, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { drawerContainer, useFocusReturn } from '../../app/drawerHost';
import type { TFunction } from 'i18next';
import type { ApiError } from '../../../shared/api/result';
import { settingValue } from '../../../shared/settings/definitions';
import { OPEN_TICKET_STATUSES, TICKET_TRANSITIONS, type Ticket, type TicketHistoryEntry, type TicketStatus } from '../../../shared/ticket/ticket';
import { useCoreStore } from '../../stores/coreStore';
import { useTicketStore } from '../../stores/ticketStore';
import { apiErrorText, fieldErrors, type FieldErrors } from '../../components/apiErrors';
import { categoryLabel, PRIORITY_COLOR, shortId, STATUS_COLOR, TYPE_COLOR } from '../../components/recordLabels';
import { DueTime } from '../../components/DueTime';
import { TicketEditForm } from './TicketEditForm';

/** A history value as text: statuses, types and priorities translated, times formatted. */
function valueText(t: TFunction, field: string, v: unknown, fmt: Intl.DateTimeFormat): string {
  if (v === null || v === undefined || v === '') return '—';
  if (field === 'status') return t(`workflow.ticketStatus.${String(v)}`);
  if (field === 'type') return t(`workflow.ticketType.${String(v)}`);
  if (field === 'dueAt' || field === 'resolvedAt' || field === 'closedAt') return typeof v === 'number' ? fmt.format(v) : String(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? shortId(x) : String(x))).join(', ') || '—';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

/** The label of a ticket field in the history (`workflow.tickets.field.<name>`), else its name. */
function fieldLabel(i18n: { exists(k: string): boolean }, t: TFunction, field: string): string {
  const key = `workflow.tickets.field.${field}`;
  return i18n.exists(key) ? t(key) : field;
}

/** Props of {@link TicketDrawer}. */
export interface TicketDrawerProps {
  id: string | null;
  onClose(): void;
}

/**
 * One ticket: its fields, SLA due time, linked interactions, the status changes allowed from here
 * (illegal jumps are not offered; resolving asks for the resolution and satisfaction), and the
 * history of every change (who, when, what).
 */
export function TicketDrawer({ id, onClose }: TicketDrawerProps) {
  const { t, i18n } = useTranslation();
  const call = useTicketStore((s) => s.call);
  const lastChanged = useTicketStore((s) => s.lastChanged);
  useFocusReturn(id !== null);
  const names = useTicketStore((s) => s.names);
  const ensureNames = useTicketStore((s) => s.ensureNames);
  const requireResolution = useCoreStore((s) => (s.state ? settingValue(s.state.settings, 'tickets.requireResolution') : true));
  const requireSatisfaction = useCoreStore((s) => (s.state ? settingValue(s.state.settings, 'tickets.requireSatisfaction') : true));
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [history, setHistory] = useState<TicketHistoryEntry[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [resolving, setResolving] = useState(false);
  const [resolution, setResolution] = useState('');
  const [satisfaction, setSatisfaction] = useState(0);
  const [resolveErrors, setResolveErrors] = useState<FieldErrors>({});
  const [editing, setEditing] = useState(false);

  const load = useCallback(async () => {
    if (!id) return;
    const r = await call((api) => api.ticket.get({ id }));
    if (!r.ok) return setError(r.error);
    setTicket(r.value.ticket);
    setHistory([...r.value.history].sort((a, b) => b.at - a.at || b.id - a.id));
    ensureNames([r.value.ticket.customerId]);
  }, [call, id, ensureNames]);

  useEffect(() => {
    setTicket(null);
    setHistory([]);
    setError(null);
    setResolving(false);
    setEditing(false);
    void load();
  }, [load]);
  useEffect(() => {
    if (lastChanged && lastChanged.id === id) void load();
  }, [lastChanged, id, load]);

  const move = async (to: TicketStatus, extra: { resolution?: string; satisfaction?: number } = {}) => {
    if (!ticket) return false;
    setBusy(true);
    const r = await call((api) => api.ticket.transition({ id: ticket.id, version: ticket.version, to, ...extra }));
    setBusy(false);
    if (!r.ok) {
      if (to === 'resolved') {
        const f = fieldErrors(r.error, i18n, t);
        if (Object.keys(f).length > 0) {
          setResolveErrors(f);
          return false;
        }
      }
      setError(r.error);
      return false;
    }
    setError(null);
    setTicket(r.value);
    void load();
    return true;
  };

  const confirmResolve = async () => {
    const local: FieldErrors = {};
    if (requireResolution && !resolution.trim()) local.resolution = t('workflow.missingField.resolution');
    if (requireSatisfaction && satisfaction === 0) local.satisfaction = t('workflow.missingField.satisfaction');
    setResolveErrors(local);
    if (Object.keys(local).length > 0) return;
    const ok = await move('resolved', { ...(resolution.trim() ? { resolution: resolution.trim() } : {}), ...(satisfaction > 0 ? { satisfaction } : {}) });
    if (ok) setResolving(false);
  };

  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const next = ticket ? TICKET_TRANSITIONS[ticket.status] : [];
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={720}
      destroyOnHidden
      getContainer={drawerContainer}
      rootStyle={{ position: 'absolute' }}
      data-testid="ticket-drawer"
      title={
        ticket ? (
          <Space size={6} wrap>
            <span className="cd-ticket-id">{shortId(ticket.id)}</span>
            <span data-testid="ticket-drawer-subject">{ticket.subject}</span>
            <Tag color={STATUS_COLOR[ticket.status]} data-testid="ticket-drawer-status" data-status={ticket.status}>
              {t(`workflow.ticketStatus.${ticket.status}`)}
            </Tag>
          </Space>
        ) : (
          t('workflow.tickets.ticket')
        )
      }
    >
      {error && <Alert type="error" showIcon closable onClose={() => setError(null)} title={apiErrorText(error, t)} data-testid="ticket-error" style={{ marginBottom: 8 }} />}
      {!ticket && !error && <Spin />}
      {ticket && (
        <>
          {!editing && (
            <div className="cd-ticket-actions" style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8 }}>
              <div className="cd-transitions" data-testid="ticket-transitions">
                {next.map((to) => (
                  <Button
                    key={to}
                    size="small"
                    type={to === 'resolved' ? 'primary' : 'default'}
                    loading={busy}
                    onClick={() => (to === 'resolved' ? setResolving(true) : void move(to))}
                    data-testid={`ticket-to-${to}`}
                  >
                    {to === 'open' && !OPEN_TICKET_STATUSES.includes(ticket.status) ? t('workflow.tickets.move.reopen') : t(`workflow.tickets.move.${to}`)}
                  </Button>
                ))}
              </div>
              <Button size="small" type="dashed" disabled={busy} onClick={() => setEditing(true)} data-testid="ticket-edit">
                {t('workflow.tickets.edit.open')}
              </Button>
            </div>
          )}
          {editing && (
            <TicketEditForm
              ticket={ticket}
              onSaved={(saved) => {
                setTicket(saved);
                setEditing(false);
                void load();
              }}
              onCancel={() => setEditing(false)}
              onStale={() => void load()}
            />
          )}
          {!editing && (
            <>
              <Descriptions size="small" column={2} bordered style={{ marginTop: 10 }}>
                <Descriptions.Item label={t('workflow.tickets.type')}>
                  <Tag color={TYPE_COLOR[ticket.type]}>{t(`workflow.ticketType.${ticket.type}`)}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t('workflow.tickets.priority')}>
                  <Tag color={PRIORITY_COLOR[ticket.priority]}>{t(`workflow.ticketPriority.${ticket.priority}`)}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t('workflow.tickets.customer')}>{ticket.customerId === null ? '—' : (names[ticket.customerId] ?? `#${ticket.customerId}`)}</Descriptions.Item>
                <Descriptions.Item label={t('workflow.tickets.category')}>{ticket.category ? categoryLabel(i18n, t, ticket.category) : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('workflow.tickets.assignee')}>{ticket.assignee ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('workflow.tickets.createdBy')}>{ticket.createdBy}</Descriptions.Item>
                <Descriptions.Item label={t('workflow.tickets.created')}>{fmt.format(ticket.createdAt)}</Descriptions.Item>
                <Descriptions.Item label={t('workflow.tickets.due')}>
                  <DueTime dueAt={ticket.dueAt} now={Date.now()} overdue={ticket.overdue} settled={!OPEN_TICKET_STATUSES.includes(ticket.status)} paused={ticket.status === 'pending'} testId="ticket-drawer-due" />
                </Descriptions.Item>
                <Descriptions.Item label={t('workflow.tickets.linked')}>{t('workflow.tickets.linkedCount', { count: ticket.interactionIds.length })}</Descriptions.Item>
                <Descriptions.Item label={t('workflow.tickets.version')}>{ticket.version}</Descriptions.Item>
                {ticket.resolution !== null && (
                  <Descriptions.Item label={t('workflow.tickets.resolution')} span={2}>
                    <span data-testid="ticket-resolution-text">{ticket.resolution}</span>
                  </Descriptions.Item>
                )}
                {ticket.satisfaction !== null && (
                  <Descriptions.Item label={t('workflow.tickets.satisfaction')} span={2}>
                    <Rate disabled value={ticket.satisfaction} /> <Typography.Text type="secondary">{t(`workflow.satisfaction.${ticket.satisfaction}`)}</Typography.Text>
                  </Descriptions.Item>
                )}
              </Descriptions>
              {ticket.description && (
                <Typography.Paragraph className="cd-ticket-desc" style={{ marginTop: 10 }}>
                  {ticket.description}
                </Typography.Paragraph>
              )}
            </>
          )}
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            {t('workflow.tickets.history')}
          </Typography.Title>
          <Timeline
            className="cd-history"
            data-testid="ticket-history"
            items={history.map((h) => ({
              key: h.id,
              color: h.action === 'status' ? 'blue' : h.action === 'created' ? 'green' : 'gray',
              content: (
                <div data-testid="ticket-history-entry" data-action={h.action}>
                  <div>
                    <Typography.Text strong>{t(`workflow.ticketAction.${h.action}`)}</Typography.Text> <Typography.Text type="secondary">· {h.by === SERVER_HISTORY_AUTHOR ? t('sync.historyAuthor') : h.by} · {fmt.format(h.at)}</Typography.Text>
                  </div>
                  {h.action !== 'created' &&
                    h.changes.map((c, i) => (
                      <div key={i} className="cd-history-change">
                        {fieldLabel(i18n, t, c.field)}: <del>{valueText(t, c.field, c.from, fmt)}</del> → {valueText(t, c.field, c.to, fmt)}
                      </div>
                    ))}
                </div>
              ),
            }))}
          />
        </>
      )}
      <Modal
        open={resolving}
        title={t('workflow.tickets.resolveTitle')}
        onCancel={() => setResolving(false)}
        onOk={() => void confirmResolve()}
        okText={t('workflow.tickets.move.resolved')}
        cancelText={t('workflow.common.cancel')}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'ticket-resolve-confirm' }}
        destroyOnHidden
      >
        <Form layout="vertical" size="small" component="div">
          <Form.Item label={t('workflow.tickets.resolution')} required={requireResolution} {...(resolveErrors.resolution ? { validateStatus: 'error' as const, help: resolveErrors.resolution } : {})}>
            <Input.TextArea value={resolution} onChange={(e) => setResolution(e.target.value)} autoSize={{ minRows: 3, maxRows: 8 }} data-testid="ticket-resolution" />
          </Form.Item>
          <Form.Item label={t('workflow.tickets.satisfaction')} required={requireSatisfaction} {...(resolveErrors.satisfaction ? { validateStatus: 'error' as const, help: resolveErrors.satisfaction } : {})}>
            <Space>
              <Rate value={satisfaction} onChange={setSatisfaction} data-testid="ticket-satisfaction" />
              {satisfaction > 0 && <Typography.Text type="secondary">{t(`workflow.satisfaction.${satisfaction}`)}</Typography.Text>}
            </Space>
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}

/** The ticket drawer of the ticket the store has open (from the Tickets page, a customer card, a wrap-up). */
export function OpenTicketDrawer() {
  const id = useTicketStore((s) => s.openId);
  const openTicket = useTicketStore((s) => s.openTicket);
  return <TicketDrawer id={id} onClose={() => openTicket(null)} />;
}
