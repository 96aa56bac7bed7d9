import { SaveOutlined } from '@ant-design/icons';
import { Alert, Button, Drawer, Input, Space, Spin, Table, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { drawerContainer, useFocusReturn } from '../../app/drawerHost';
import type { Customer, OwnerChange } from '../../../shared/customer/schema';
import { settingValue } from '../../../shared/settings/definitions';
import { useCoreStore } from '../../stores/coreStore';
import { useCustomerStore } from '../../stores/customerStore';
import { CUSTOMER_EDITOR_FORM, CustomerEditor } from './CustomerEditor';
import { LEVEL_COLOR, STATUS_COLOR } from '../../components/customerLabels';
import { CustomerInsightPanel, useCustomerInsight } from './CustomerInsightPanel';
import { errorText } from './validation';
import { CustomerActivity } from './CustomerActivity';
import './customers.css';
import { Translated } from '../../components/Translated';

/** The agent id recorded with owner changes: the user part of the agent's SIP address. */
function agentId(sipUri: string): string | null {
  const m = /^sips?:([^@;]+)@/i.exec(sipUri.trim());
  return m ? m[1]! : null;
}

/**
 * The customer record (the Customer page), in a wide drawer over whatever the agent is doing: the
 * editable record and the owner with its recorded history. Opened from search, the screen pop or
 * "new customer".
 */
export function CustomerDrawer() {
  const { t } = useTranslation();
  const openId = useCustomerStore((s) => s.openCustomerId);
  const openCustomer = useCustomerStore((s) => s.openCustomer);
  useFocusReturn(openId !== null);
  const get = useCustomerStore((s) => s.get);
  const save = useCustomerStore((s) => s.save);
  const runSearch = useCustomerStore((s) => s.runSearch);
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [toast, holder] = message.useMessage();

  const load = useCallback(
    async (id: number) => {
      setLoading(true);
      setLoadError(null);
      const r = await get(id);
      setLoading(false);
      if (r.ok) setCustomer(r.value);
      else setLoadError(errorText(r.error, t));
    },
    [get, t],
  );
  useEffect(() => {
    setCustomer(null);
    setLoadError(null);
    if (typeof openId === 'number') void load(openId);
  }, [openId, load]);

  const isNew = openId === 'new';
  const title = isNew ? (
    t('customers.new')
  ) : customer ? (
    <Space size={6}>
      <span data-testid="record-title">{customer.name}</span>
      <Tag color={LEVEL_COLOR[customer.level]}>{t(`customers.level.${customer.level}`)}</Tag>
      <Tag color={STATUS_COLOR[customer.status]}>{t(`customers.status.${customer.status}`)}</Tag>
      <Typography.Text type="secondary">{customer.code}</Typography.Text>
    </Space>
  ) : (
    t('customers.record')
  );
  return (
    <Drawer
      open={openId !== null}
      onClose={() => openCustomer(null)}
      size={880}
      title={title}
      destroyOnHidden
      getContainer={drawerContainer}
      rootStyle={{ position: 'absolute' }}
      data-testid="customer-drawer"
      extra={
        (isNew || customer) && (
          <Button type="primary" htmlType="submit" form={CUSTOMER_EDITOR_FORM} icon={<SaveOutlined />} data-testid="record-save">
            {isNew ? t('customers.editor.create') : t('customers.editor.save')}
          </Button>
        )
      }
    >
      {holder}
      {loading && <Spin />}
      {loadError && <Alert type="error" showIcon title={loadError} />}
      {customer && !isNew && <SyncedInsight customerId={customer.id} />}
      {customer && !isNew && <CustomerActivity customerId={customer.id} customerName={customer.name} variant="page" />}
      {(isNew || customer) && (
        <CustomerEditor
          customer={isNew ? null : customer}
          save={save}
          onReload={() => typeof openId === 'number' && void load(openId)}
          onSaved={(saved) => {
            setCustomer(saved);
            void toast.success({ content: <Translated text={(tr) => tr('customers.editor.saved')} />, duration: 1.5 });
            if (isNew) openCustomer(saved.id);
            void runSearch();
          }}
        />
      )}
      {customer && !isNew && <OwnerPanel customer={customer} onChanged={setCustomer} />}
    </Drawer>
  );
}

/** The owner of a customer, reassignment (recorded: who, from, to, why, when) and the history. */
export function OwnerPanel({ customer, onChanged }: { customer: Customer; onChanged(c: Customer): void }) {
  const { t, i18n } = useTranslation();
  const call = useCustomerStore((s) => s.call);
  const me = useCoreStore((s) => (s.state ? agentId(settingValue(s.state.settings, 'sip.uri')) : null));
  const [history, setHistory] = useState<OwnerChange[]>([]);
  const [owner, setOwner] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = customer.id;
  useEffect(() => {
    void call((api) => api.customer.ownerHistory({ id })).then((r) => r.ok && setHistory(r.value));
  }, [call, id]);
  const reassign = async () => {
    setBusy(true);
    setError(null);
    const r = await call((api) => api.customer.reassign({ id, ownerId: owner.trim() || null, changedBy: me, reason: reason.trim() }));
    setBusy(false);
    if (!r.ok) return setError(errorText(r.error, t));
    setHistory((h) => [r.value.change, ...h]);
    setOwner('');
    setReason('');
    onChanged(r.value.customer);
  };
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="cd-owner" data-testid="owner-panel" style={{ marginTop: 12 }}>
      <Typography.Title level={5}>
        {t('customers.owner.title')}: <span data-testid="owner-current">{customer.ownerId ?? t('customers.card.noOwner')}</span>
      </Typography.Title>
      <Space.Compact style={{ width: '100%', maxWidth: 640 }}>
        <Input value={owner} onChange={(e) => setOwner(e.target.value)} placeholder={t('customers.owner.newOwner')} aria-label={t('customers.owner.newOwner')} data-testid="owner-new" style={{ width: 180 }} />
        <Input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('customers.owner.reason')} aria-label={t('customers.owner.reason')} data-testid="owner-reason" />
        <Button onClick={() => void reassign()} loading={busy} data-testid="owner-reassign">
          {owner.trim() ? t('customers.owner.reassign') : t('customers.owner.unassign')}
        </Button>
      </Space.Compact>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 6 }} />}
      {history.length > 0 && (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          style={{ marginTop: 8 }}
          dataSource={history}
          data-testid="owner-history"
          columns={[
            { title: t('customers.owner.when'), dataIndex: 'changedAt', width: 170, render: (v: number) => when.format(v) },
            { title: t('customers.owner.from'), dataIndex: 'fromOwnerId', render: (v: string | null) => v ?? '—' },
            { title: t('customers.owner.to'), dataIndex: 'toOwnerId', render: (v: string | null) => v ?? '—' },
            { title: t('customers.owner.by'), dataIndex: 'changedBy', render: (v: string | null) => v ?? '—' },
            { title: t('customers.owner.reason'), dataIndex: 'reason' },
          ]}
        />
      )}
    </div>
  );
}

/** The computed insight of an open customer record. */
function SyncedInsight({ customerId }: { customerId: number }) {
  return <CustomerInsightPanel insight={useCustomerInsight(customerId)} />;
}
