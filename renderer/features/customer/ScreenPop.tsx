import { BellOutlined, CloseOutlined, PhoneOutlined, ProfileOutlined, SearchOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Segmented, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { assertNever } from '../../../shared/api/result';
import { DEFAULT_DORMANT_DAYS } from '../../../shared/customer/helpers';
import type { ScreenPopResult } from '../../../shared/customer/screenPop';
import type { Customer } from '../../../shared/customer/schema';
import { plainText } from '../../../shared/text/plainText';
import type { CallSnapshot } from '../../../shared/phone/call';
import { settingValue } from '../../../shared/settings/definitions';
import { CallTimer } from '../../components/CallTimer';
import { registerShortcuts } from '../../app/useShortcuts';
import { useCoreStore } from '../../stores/coreStore';
import { useCustomerStore, visiblePops, type PopEntry } from '../../stores/customerStore';
import { usePhoneStore } from '../../stores/phoneStore';
import { DialLink } from '../dial/DialLink';
import { CustomerCard, PopHeaders } from './CustomerCard';
import { CustomerInsightPanel, useCustomerInsight } from './CustomerInsightPanel';
import { customerShortcuts } from './customerShortcuts';
import { PopChooser } from '../../components/PopChooser';
import { PopSearch } from './PopSearch';
import { QuickCreateForm } from './QuickCreateForm';
import { errorText } from './validation';
import { CustomerActivity } from './CustomerActivity';
import './customers.css';

/** Longest caller name in the switcher: it is one button among several. */
const POP_TITLE_MAX = 32;

/** Name of the pop in the switcher when several calls popped. */
function popTitle(result: ScreenPopResult, withheld: string): string {
  if (result.kind === 'match') return result.customer.name;
  return result.caller.display || plainText(result.caller.displayName ?? '', POP_TITLE_MAX) || withheld;
}

/**
 * The screen pop: shown above the page as soon as the core pops a call (on ringing by default).
 * One match -> the customer card; several -> a chooser, most recently contacted first; none -> a
 * quick-create form prefilled with the number; withheld -> a search box. Picking or creating a
 * customer turns the pop into their card. Several live pops: a switcher, newest first.
 */
export function ScreenPop() {
  const { t } = useTranslation();
  useEffect(() => registerShortcuts(customerShortcuts()), []);
  const pops = useCustomerStore((s) => s.pops);
  const order = useCustomerStore((s) => s.popOrder);
  const selected = useCustomerStore((s) => s.selectedPop);
  const selectPop = useCustomerStore((s) => s.selectPop);
  const phone = usePhoneStore((s) => s.phone);
  const live = new Set((phone?.calls ?? []).filter((c) => c.state !== 'ended').map((c) => c.id));
  const visible = visiblePops(pops, order, (id) => live.has(id));
  const shown = new Set(visible.map((p) => p.result.callId));
  const unpopped = (phone?.calls ?? []).filter((c) => c.direction === 'inbound' && c.state !== 'ended' && !shown.has(c.id));
  if (visible.length === 0) return unpopped.length > 0 ? <ManualPopBar calls={unpopped} /> : null;
  const current = visible.find((p) => p.result.callId === selected) ?? visible[0]!;
  const call = phone?.calls.find((c) => c.id === current.result.callId) ?? null;
  return (
    <section className="cd-pop" aria-label={t('customers.pop.title')} aria-live="polite">
      {visible.length > 1 && (
        <Segmented
          size="small"
          className="cd-pop-switch"
          value={current.result.callId}
          onChange={(v) => selectPop(String(v))}
          options={visible.map((p) => ({ value: p.result.callId, label: popTitle(p.result, t('customers.pop.withheld')) }))}
          data-testid="pop-switch"
        />
      )}
      <PopView key={current.result.callId} entry={current} call={call} />
      {unpopped.length > 0 && <ManualPopBar calls={unpopped} />}
    </section>
  );
}

/**
 * Inbound calls without a pop on screen (screen pop set to "on answer" or "manual", or the agent
 * closed it): one button each to look the caller up now.
 */
function ManualPopBar({ calls }: { calls: CallSnapshot[] }) {
  const { t } = useTranslation();
  const requestPop = useCustomerStore((s) => s.requestPop);
  const onRing = useCoreStore((s) => (s.state ? settingValue(s.state.settings, 'screenPop.trigger') : 'ring') === 'ring');
  const [failure, setFailure] = useState<string | null>(null);
  // On "ring" the core's pop normally arrives within milliseconds: the bar only shows if it did not.
  return (
    <div className={onRing ? 'cd-pop-manual cd-pop-manual-late' : 'cd-pop-manual'} data-testid="pop-manual">
      {calls.map((c) => (
        <Space key={c.id} size={6}>
          <BellOutlined />
          <Typography.Text className="cd-oneline cd-pop-caller-name" title={c.remote.displayName || undefined}>
            {c.remote.displayName || c.remote.number || t('customers.pop.withheld')}
          </Typography.Text>
          <Button
            size="small"
            icon={<SearchOutlined />}
            onClick={() => void requestPop(c).then((r) => setFailure(r.ok ? null : errorText(r.error, t)))}
            data-testid="pop-request"
          >
            {t('customers.pop.lookUp')}
          </Button>
        </Space>
      ))}
      {failure && <Alert type="error" showIcon title={failure} />}
    </div>
  );
}

function PopView({ entry, call }: { entry: PopEntry; call: CallSnapshot | null }) {
  const { t } = useTranslation();
  const { result } = entry;
  const dismissPop = useCustomerStore((s) => s.dismissPop);
  const resolvePop = useCustomerStore((s) => s.resolvePop);
  const openCustomer = useCustomerStore((s) => s.openCustomer);
  const getCustomer = useCustomerStore((s) => s.get);
  const run = usePhoneStore((s) => s.run);
  const dormantDays = useCoreStore((s) => (s.state ? settingValue(s.state.settings, 'customer.dormantDays') : DEFAULT_DORMANT_DAYS));
  const [failure, setFailure] = useState<string | null>(null);
  const cardRef = useRef<HTMLDivElement>(null);
  // A new pop opens above the page: bring it into view when the agent is scrolled down a long list.
  // Only the work area scrolls (scrollIntoView would also scroll the shell's own boxes and push the
  // phone panel with its call cards out of place).
  useEffect(() => {
    const card = cardRef.current;
    const area = card?.closest<HTMLElement>('.cd-content');
    if (!card || !area) return;
    const above = card.getBoundingClientRect().top - area.getBoundingClientRect().top;
    if (above < 0) area.scrollTop += above;
  }, [result.callId]);
  const resolve = (customer: Customer) => resolvePop(result.callId, customer, dormantDays);
  const choose = async (id: number) => {
    const r = await getCustomer(id);
    if (r.ok) resolve(r.value);
    else setFailure(errorText(r.error, t));
  };
  const ringing = call?.direction === 'inbound' && call.state === 'ringing';
  const state = call ? call.state : 'ended';
  const since = call ? (call.times.answered ?? call.times.ringing ?? call.times.created) : null;
  const callerText = result.caller.kind === 'withheld' ? t('customers.pop.withheld') : result.caller.display || result.caller.displayName || t('customers.pop.withheld');

  const bar = (
    <div className="cd-pop-bar">
      <Space size={6} wrap>
        <BellOutlined className={ringing ? 'cd-pop-bell cd-ringing' : 'cd-pop-bell'} />
        <Typography.Text strong>{t(`customers.pop.kind.${result.kind}`)}</Typography.Text>
        {result.caller.kind === 'number' ? (
          <span data-testid="pop-caller">
            <DialLink number={result.caller.display} testId="pop-caller-dial" />
          </span>
        ) : result.kind === 'withheld' ? null : (
          <Typography.Text data-testid="pop-caller">{callerText}</Typography.Text>
        )}
        {result.caller.displayName && result.kind !== 'match' && (
          <Typography.Text type="secondary" className="cd-oneline cd-pop-caller-name" title={result.caller.displayName} data-testid="pop-caller-name">
            {result.caller.displayName}
          </Typography.Text>
        )}
        <Tag color={ringing ? 'gold' : state === 'ended' ? 'default' : 'green'} data-testid="pop-call-state">
          {t(`phone.state.${state}`)}
        </Tag>
        {since !== null && state !== 'ended' && <CallTimer since={since} testId="pop-timer" />}
        {result.kind === 'match' && result.matchedBy === 'header' && <Tag>{t('customers.pop.matchedByHeader')}</Tag>}
      </Space>
      <Space size={4}>
        {ringing && (
          <>
            <Button type="primary" size="small" icon={<PhoneOutlined />} onClick={() => void run((api) => api.call.answer({ callId: result.callId }))} data-testid="pop-answer">
              {t('phone.answer')}
            </Button>
            <Button danger size="small" icon={<StopOutlined />} onClick={() => void run((api) => api.call.reject({ callId: result.callId }))} data-testid="pop-reject">
              {t('phone.reject')}
            </Button>
          </>
        )}
        {result.kind === 'match' && (
          <Button size="small" icon={<ProfileOutlined />} onClick={() => openCustomer(result.customer.id)} data-testid="pop-open-record">
            {t('customers.pop.openRecord')}
          </Button>
        )}
        <Tooltip title={t('customers.pop.dismiss')}>
          <Button size="small" type="text" icon={<CloseOutlined />} aria-label={t('customers.pop.dismiss')} onClick={() => dismissPop(result.callId)} data-testid="pop-dismiss" />
        </Tooltip>
      </Space>
    </div>
  );

  return (
    <Card ref={cardRef} size="small" className={`cd-pop-card cd-pop-${result.kind}${ringing ? ' cd-pop-ringing' : ''}`} data-testid="pop-card" data-kind={result.kind} data-call-id={result.callId}>
      {bar}
      {failure && <Alert type="error" showIcon closable onClose={() => setFailure(null)} title={failure} />}
      <PopBody result={result} onChoose={(id) => void choose(id)} onCreated={resolve} />
    </Card>
  );
}

/** A matched caller: the card, the computed insight (which replaces the typed lifecycle and value), activity. */
function MatchedCustomer({ result }: { result: Extract<ScreenPopResult, { kind: 'match' }> }) {
  const computed = useCustomerInsight(result.customer.id);
  return (
    <CustomerCard customer={result.customer} insight={result.insight} headers={result.headers} computed={!!computed}>
      <CustomerInsightPanel insight={computed} />
      <CustomerActivity customerId={result.customer.id} customerName={result.customer.name} />
    </CustomerCard>
  );
}

function PopBody({ result, onChoose, onCreated }: { result: ScreenPopResult; onChoose(id: number): void; onCreated(c: Customer): void }) {
  switch (result.kind) {
    case 'match':
      return <MatchedCustomer result={result} />;
    case 'multiple':
      return (
        <>
          <PopChooser candidates={result.candidates} onChoose={onChoose} />
          <PopHeaders headers={result.headers} />
        </>
      );
    case 'none':
      return (
        <>
          <QuickCreateForm prefill={result.prefill} onCreated={onCreated} />
          <PopHeaders headers={result.headers} />
        </>
      );
    case 'withheld':
      return (
        <>
          <PopSearch onChoose={onChoose} />
          <PopHeaders headers={result.headers} />
        </>
      );
    default:
      return assertNever(result, 'screen pop kind');
  }
}
