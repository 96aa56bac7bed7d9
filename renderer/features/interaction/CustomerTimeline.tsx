import { EditOutlined, EnvironmentOutlined, FileTextOutlined, MailOutlined, MessageOutlined, PhoneOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Segmented, Select, Tag, Typography } from 'antd';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../shared/api/result';
import { settingValue, SETTING_DEFAULTS } from '../../../shared/settings/definitions';
import { interactionAddSchema, interactionCorrectSchema, MANUAL_INTERACTION_KINDS, type Interaction, type InteractionKind } from '../../../shared/interaction/interaction';
import { formatDuration } from '../../components/CallTimer';
import { VirtualList } from '../../components/VirtualList';
import { useCoreStore } from '../../stores/coreStore';
import { useInteractionStore } from '../../stores/interactionStore';
import { apiErrorText, issuesToFields } from '../../components/apiErrors';
import { useRequestForm } from '../forms/useRequestForm';
import type { DispositionGroup } from '../../../shared/agent/wrapup';
import { dispositionGroupLabel, dispositionLabel } from '../../components/recordLabels';
import { fromLocalInput, toLocalInput } from '../../components/localDateTime';
import '../../components/records.css';

type ManualKind = (typeof MANUAL_INTERACTION_KINDS)[number];
const ALERT_ENDS = new Set(['missed', 'busy', 'no-answer', 'failed', 'rejected', 'media-timeout', 'session-expired']);
/** Row height and viewport of the record page's windowed timeline (px). */
const ROW_HEIGHT = 46;
const PAGE_HEIGHT = 440;

const KIND_ICON: Record<InteractionKind, React.ReactNode> = {
  call: <PhoneOutlined />,
  visit: <EnvironmentOutlined />,
  email: <MailOutlined />,
  sms: <MessageOutlined />,
  note: <FileTextOutlined />,
};

/** Props of {@link CustomerTimeline}. */
export interface CustomerTimelineProps {
  customerId: number;
  /** Entries shown first (the card shows five); "more" loads further pages. */
  limit?: number;
  /** Whether "more" is offered (the record page) or not (the card). */
  expandable?: boolean;
}

/**
 * A customer's contacts, newest first: calls (logged by themselves, with talk time, disposition and
 * how they ended) and entries logged by hand (visit, email, SMS, note), with the total count.
 * Entries are never edited: "correct" logs a new entry linked to the one it replaces.
 */
export function CustomerTimeline({ customerId, limit = 5, expandable = false }: CustomerTimelineProps) {
  const { t, i18n } = useTranslation();
  const call = useInteractionStore((s) => s.call);
  const revision = useInteractionStore((s) => s.revisions[customerId] ?? 0);
  const epoch = useInteractionStore((s) => s.epoch);
  const groups = useCoreStore((s) => (s.state ? settingValue(s.state.settings, 'wrapup.dispositions') : SETTING_DEFAULTS['wrapup.dispositions']));
  const [items, setItems] = useState<Interaction[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const [adding, setAdding] = useState(false);
  const [correcting, setCorrecting] = useState<Interaction | null>(null);

  const load = useCallback(async () => {
    const r = await call((api) => api.interaction.list({ customerId, limit }));
    if (!r.ok) return setError(r.error);
    setError(null);
    setItems(r.value.items);
    setTotal(r.value.total);
  }, [call, customerId, limit]);
  // Older entries page by a cursor (the last one shown), so any history length can be read.
  const loading = useRef(false);
  const loadMore = async () => {
    const last = items[items.length - 1];
    if (!last || loading.current) return;
    loading.current = true;
    const r = await call((api) => api.interaction.list({ customerId, limit: 200, after: { occurredAt: last.occurredAt, id: last.id } }));
    loading.current = false;
    if (!r.ok) return setError(r.error);
    setItems((cur) => [...cur, ...r.value.items.filter((x) => !cur.some((c) => c.id === x.id))]);
    setTotal(r.value.total);
  };
  useEffect(() => {
    void load();
  }, [load, revision, epoch]);

  const when = useMemo(() => new Intl.DateTimeFormat(i18n.language, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }), [i18n.language]);
  const onCorrect = useCallback((e: Interaction) => setCorrecting(e), []);
  const renderEntry = (e: Interaction, fixed: boolean) => <TimelineRow key={e.id} entry={e} fixed={fixed} groups={groups} when={when} onCorrect={onCorrect} />;

  return (
    <section className="cd-timeline" data-testid="timeline" data-customer-id={customerId}>
      <div className="cd-timeline-head">
        <Typography.Text strong>
          {t('workflow.timeline.title')}{' '}
          <Typography.Text type="secondary" data-testid="timeline-count" data-count={total}>
            {t('workflow.timeline.count', { count: total })}
          </Typography.Text>
        </Typography.Text>
        <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="timeline-add">
          {t('workflow.timeline.add')}
        </Button>
      </div>
      {error && <Alert type="error" showIcon title={apiErrorText(error, t)} />}
      {items.length === 0 ? (
        <Typography.Text type="secondary">{t('workflow.timeline.empty')}</Typography.Text>
      ) : expandable ? (
        <VirtualList
          items={items}
          rowHeight={ROW_HEIGHT}
          height={PAGE_HEIGHT}
          rowKey={(e) => e.id}
          renderRow={(e) => renderEntry(e, true)}
          onEndReached={() => items.length < total && void loadMore()}
          className="cd-timeline-list cd-timeline-virtual"
          testId="timeline-scroll"
        />
      ) : (
        <ul className="cd-timeline-list">{items.map((e) => renderEntry(e, false))}</ul>
      )}
      {adding && <AddEntryModal customerId={customerId} onClose={() => setAdding(false)} />}
      {correcting && <CorrectEntryModal entry={correcting} onClose={() => setCorrecting(null)} />}
    </section>
  );
}

/** Props of one timeline row. */
interface TimelineRowProps {
entry: Interaction;
/** Fixed height (the windowed record page) or free (the card). */
fixed: boolean;
groups: readonly DispositionGroup[];
when: Intl.DateTimeFormat;
onCorrect(e: Interaction): void;
}

/** One contact of the timeline; memoised so scrolling re-renders only the rows that come into view. */
const TimelineRow = memo(function TimelineRow({ entry: e, fixed, groups, when, onCorrect }: TimelineRowProps) {
  const { t, i18n } = useTranslation();
  const missed = e.kind === 'call' && e.endReason !== null && ALERT_ENDS.has(e.endReason);
  const Row = fixed ? 'div' : 'li';
  return (
    <Row
      className={`cd-tl-entry${missed ? ' cd-tl-missed' : ''}${fixed ? ' cd-tl-fixed' : ''}`}
      data-testid="timeline-entry"
      data-id={e.id}
      data-root-id={e.rootId}
      data-kind={e.kind}
      data-revision-kind={e.revisionKind}
      data-end-reason={e.endReason ?? ''}
      data-disposition={e.disposition ?? ''}
      data-completion={e.wrapUpCompletion ?? ''}
      data-talk-ms={e.talkMs ?? ''}
      data-answered-at={e.answeredAt ?? ''}
      data-ended-at={e.endedAt ?? ''}
      data-ticket-ids={e.ticketIds.join(',')}
    >
      <span className="cd-tl-icon" title={t(`workflow.interactionKind.${e.kind}`)}>
        {e.kind === 'call' ? <PhoneOutlined rotate={e.direction === 'outbound' ? -45 : 135} /> : KIND_ICON[e.kind]}
      </span>
      <span className="cd-tl-body">
        <span className="cd-tl-line">
          <span className="cd-tl-when">{when.format(e.occurredAt)}</span>
          {e.kind !== 'call' && <Tag>{t(`workflow.interactionKind.${e.kind}`)}</Tag>}
          {e.kind === 'call' && e.direction && <Tag>{t(`workflow.timeline.${e.direction}`)}</Tag>}
          {missed && e.endReason && <Tag color="red">{t(`phone.end.${e.endReason}`)}</Tag>}
          {e.disposition && <Tag color="blue">{dispositionLabel(i18n, t, e.disposition, groups)}</Tag>}
          {e.wrapUpCompletion === 'auto' && <Tag color="orange">{t('workflow.wrapUpCompletion.auto')}</Tag>}
          {e.revisionKind === 'correction' && (
            <Tag color="gold" title={e.correctionReason ?? ''}>
              {t('workflow.revisionKind.correction')}
            </Tag>
          )}
          {e.ticketIds.length > 0 && <Tag color="magenta">{t('workflow.timeline.tickets', { count: e.ticketIds.length })}</Tag>}
          {e.dtmfReceived && (
            <Tag className="cd-oneline" title={e.dtmfReceived} data-testid="timeline-dtmf">
              {t('workflow.timeline.dtmf', { digits: e.dtmfReceived.length > 24 ? `${e.dtmfReceived.slice(0, 24)}…` : e.dtmfReceived })}
            </Tag>
          )}
          {e.subject && <span className="cd-subject">{e.subject}</span>}
        </span>
        {e.notes && <span className="cd-tl-notes">{e.notes}</span>}
      </span>
      <span className="cd-tl-meta">
        {e.kind === 'call' && e.talkMs !== null && e.talkMs > 0 && <span title={t('workflow.timeline.talk')}>{formatDuration(e.talkMs)} · </span>}
        {e.agentId}
        <Button size="small" type="text" icon={<EditOutlined />} title={t('workflow.timeline.correct')} aria-label={t('workflow.timeline.correct')} onClick={() => onCorrect(e)} data-testid="timeline-correct" />
      </span>
    </Row>
  );
});

function AddEntryModal({ customerId, onClose }: { customerId: number; onClose(): void }) {
  const { t } = useTranslation();
  const call = useInteractionStore((s) => s.call);
  const [kind, setKind] = useState<ManualKind>('note');
  const [when, setWhen] = useState(() => toLocalInput(Date.now()));
  const [remote, setRemote] = useState('');
  const [subject, setSubject] = useState('');
  const [notes, setNotes] = useState('');
  const { formError, busy, send, invalid, status } = useRequestForm();
  const save = async () => {
    const occurredAt = fromLocalInput(when);
    const req = {
      kind,
      customerId,
      subject,
      notes,
      ...(Number.isFinite(occurredAt) ? { occurredAt } : {}),
      ...((kind === 'email' || kind === 'sms') && remote.trim() ? { remote: remote.trim() } : {}),
    };
    const parsed = interactionAddSchema.safeParse(req);
    if (!parsed.success) return invalid(parsed.error.issues);
    if (await send(() => call((api) => api.interaction.add(req)))) onClose();
  };
  return (
    <Modal
      open
      title={t('workflow.timeline.addTitle')}
      onCancel={onClose}
      onOk={() => void save()}
      okText={t('workflow.common.save')}
      cancelText={t('workflow.common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'timeline-add-save' }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 8 }} />}
      <Form layout="vertical" size="small" component="div">
        <Form.Item label={t('workflow.timeline.kind')}>
          <Segmented
            value={kind}
            onChange={(v) => setKind(v as ManualKind)}
            options={MANUAL_INTERACTION_KINDS.map((k) => ({ value: k, label: <span data-testid={`timeline-add-kind-${k}`}>{t(`workflow.interactionKind.${k}`)}</span> }))}
          />
        </Form.Item>
        <Form.Item label={t('workflow.timeline.when')} {...status('occurredAt')}>
          <Input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} style={{ width: 220 }} />
        </Form.Item>
        {(kind === 'email' || kind === 'sms') && (
          <Form.Item label={t(kind === 'email' ? 'workflow.timeline.emailAddress' : 'workflow.timeline.phoneNumber')} {...status('remote')}>
            <Input value={remote} onChange={(e) => setRemote(e.target.value)} maxLength={256} />
          </Form.Item>
        )}
        <Form.Item label={t('workflow.timeline.subject')} {...status('subject')}>
          <Input value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={200} data-testid="timeline-add-subject" />
        </Form.Item>
        <Form.Item label={t('workflow.timeline.notes')} {...status('notes')}>
          <Input.TextArea value={notes} onChange={(e) => setNotes(e.target.value)} autoSize={{ minRows: 3, maxRows: 8 }} data-testid="timeline-add-notes" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CorrectEntryModal({ entry, onClose }: { entry: Interaction; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const call = useInteractionStore((s) => s.call);
  const groups = useCoreStore((s) => (s.state ? settingValue(s.state.settings, 'wrapup.dispositions') : SETTING_DEFAULTS['wrapup.dispositions']));
  const [reason, setReason] = useState('');
  const [subject, setSubject] = useState(entry.subject);
  const [notes, setNotes] = useState(entry.notes);
  const [disposition, setDisposition] = useState<string | null>(entry.disposition);
  const { setErrors, formError, setFormError, busy, send, status } = useRequestForm();
  const save = async () => {
    const changes = {
      ...(subject !== entry.subject ? { subject } : {}),
      ...(notes !== entry.notes ? { notes } : {}),
      ...(disposition !== entry.disposition ? { disposition } : {}),
    };
    const req = { id: entry.id, reason, changes };
    const parsed = interactionCorrectSchema.safeParse(req);
    if (!parsed.success) {
      const f = issuesToFields(parsed.error.issues);
      if (f.changes) {
        setFormError(t('workflow.timeline.nothingChanged'));
        delete f.changes;
      }
      return setErrors(f);
    }
    if (await send(() => call((api) => api.interaction.correct(req)))) onClose();
  };
  return (
    <Modal
      open
      title={t('workflow.timeline.correctTitle')}
      onCancel={onClose}
      onOk={() => void save()}
      okText={t('workflow.common.save')}
      cancelText={t('workflow.common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'timeline-correct-save' }}
    >
      <Typography.Paragraph type="secondary">{t('workflow.timeline.correctHint')}</Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 8 }} data-testid="timeline-correct-error" />}
      <Form layout="vertical" size="small" component="div">
        <Form.Item label={t('workflow.timeline.reason')} required {...status('reason')}>
          <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} data-testid="timeline-correct-reason" />
        </Form.Item>
        {entry.kind === 'call' && (
          <Form.Item label={t('workflow.wrapUp.disposition')} {...status('changes.disposition')}>
            <Select
              allowClear
              value={disposition ?? undefined}
              onChange={(v?: string) => setDisposition(v ?? null)}
              options={groups.map((g) => ({ label: dispositionGroupLabel(i18n, t, g), options: g.dispositions.map((d) => ({ value: d.code, label: dispositionLabel(i18n, t, d.code, groups) })) }))}
            />
          </Form.Item>
        )}
        <Form.Item label={t('workflow.timeline.subject')} {...status('changes.subject')}>
          <Input value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={200} />
        </Form.Item>
        <Form.Item label={t('workflow.timeline.notes')} {...status('changes.notes')}>
          <Input.TextArea value={notes} onChange={(e) => setNotes(e.target.value)} autoSize={{ minRows: 3, maxRows: 8 }} data-testid="timeline-correct-notes" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
