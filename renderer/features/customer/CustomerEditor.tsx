import { MinusCircleOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONTACT_LABELS,
  CREDIT_RATINGS,
  CUSTOMER_LEVELS,
  CUSTOMER_SOURCES,
  CUSTOMER_STATUSES,
  CUSTOMER_TYPES,
  LIFECYCLE_STAGES,
  PHONE_LABELS,
  type ContactLabel,
  type CreditRating,
  type Customer,
  type CustomerLevel,
  type CustomerSaveInput,
  type CustomerSource,
  type CustomerStatus,
  type CustomerType,
  type LifecycleStage,
  type PhoneLabel,
} from '../../../shared/customer/schema';
import { DialLink } from '../dial/DialLink';
import { errorText, serverProblems, validateCustomer, type FieldProblem } from './validation';
import type { ApiError, Result } from '../../../shared/api/result';

/** DOM id of the record form, so a button outside it (the drawer header) can submit it. */
export const CUSTOMER_EDITOR_FORM = 'customerEditor';

/** What the record form edits. */
export interface EditorValues {
  code: string;
  name: string;
  company: string;
  type: CustomerType;
  status: CustomerStatus;
  level: CustomerLevel;
  source: CustomerSource;
  creditRating: CreditRating | null;
  points: number;
  ownerId: string;
  tags: string[];
  birthday: string;
  preferredLanguage: string;
  preferences: string;
  notes: string;
  contactPermissions: { call: boolean; sms: boolean; email: boolean };
  lifetimeValue: number;
  lifecycleStage: LifecycleStage;
  phones: { raw: string; label: PhoneLabel; primary: boolean }[];
  emails: { address: string; label: ContactLabel; primary: boolean }[];
  addresses: { label: ContactLabel; line1: string; line2: string; city: string; region: string; postalCode: string; country: string }[];
}

/** The form values of a stored customer, or of a new one. */
export function valuesOf(c: Customer | null): EditorValues {
  return {
    code: c?.code ?? '',
    name: c?.name ?? '',
    company: c?.company ?? '',
    type: c?.type ?? 'person',
    status: c?.status ?? 'potential',
    level: c?.level ?? 'standard',
    source: c?.source ?? 'other',
    creditRating: c?.creditRating ?? null,
    points: c?.points ?? 0,
    ownerId: c?.ownerId ?? '',
    tags: c?.tags ?? [],
    birthday: c?.birthday ?? '',
    preferredLanguage: c?.preferredLanguage ?? '',
    preferences: c?.preferences ?? '',
    notes: c?.notes ?? '',
    contactPermissions: c?.contactPermissions ?? { call: true, sms: true, email: true },
    lifetimeValue: c?.lifetimeValue ?? 0,
    lifecycleStage: c?.lifecycleStage ?? 'acquisition',
    phones: c ? c.phones.map((p) => ({ raw: p.raw, label: p.label, primary: p.primary })) : [{ raw: '', label: 'mobile', primary: true }],
    emails: c ? c.emails.map((e) => ({ ...e })) : [],
    addresses: c ? c.addresses.map((a) => ({ ...a })) : [],
  };
}

const blankToNull = (v: string | null | undefined) => (v && v.trim() !== '' ? v.trim() : null);

/**
 * The save request for the form: an update carries the id and the revision it was loaded at (so a
 * concurrent edit is refused) and keeps the owner (owners change through reassignment only).
 */
export function saveInputOf(values: EditorValues, base: Customer | null): CustomerSaveInput {
  return {
    ...(base ? { id: base.id, revision: base.revision } : {}),
    ...(values.code.trim() ? { code: values.code.trim() } : {}),
    name: values.name ?? '',
    company: values.company ?? '',
    type: values.type,
    status: values.status,
    level: values.level,
    source: values.source,
    creditRating: values.creditRating ?? null,
    points: values.points ?? 0,
    ownerId: base ? base.ownerId : blankToNull(values.ownerId),
    tags: values.tags ?? [],
    birthday: blankToNull(values.birthday),
    preferredLanguage: blankToNull(values.preferredLanguage),
    preferences: values.preferences ?? '',
    notes: values.notes ?? '',
    contactPermissions: values.contactPermissions,
    lifetimeValue: values.lifetimeValue ?? 0,
    lifecycleStage: values.lifecycleStage,
    lastContactAt: base?.lastContactAt ?? null,
    phones: (values.phones ?? []).map((p) => ({ raw: p.raw ?? '', label: p.label, primary: !!p.primary })),
    emails: (values.emails ?? []).map((e) => ({ address: e.address ?? '', label: e.label, primary: !!e.primary })),
    addresses: values.addresses ?? [],
  };
}

/** Props of {@link CustomerEditor}. */
export interface CustomerEditorProps {
  /** The stored record, or null for a new customer. */
  customer: Customer | null;
  save(input: CustomerSaveInput): Promise<Result<Customer>>;
  onSaved(customer: Customer): void;
  /** Reloads the record (after a conflict). */
  onReload?(): void;
}

/**
 * The full customer record, editable: identity, classification, several phones (each dialable),
 * emails and addresses, preferences and notes, contact permissions. Checked with the shared schema
 * before saving; what the core refuses (an unreadable phone number) is shown next to its field.
 */
export function CustomerEditor({ customer, save, onSaved, onReload }: CustomerEditorProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EditorValues>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(valuesOf(customer));
    setDirty(false);
    setFailure(null);
  }, [customer, form]);

  const show = (problems: FieldProblem[]) => {
    form.setFields(problems.map((p) => ({ name: p.name as never, errors: [p.message] })));
    const first = problems[0];
    if (first) form.scrollToField(first.name as never);
  };
  const submit = async () => {
    setFailure(null);
    const values = { ...valuesOf(customer), ...form.getFieldsValue(true) } as EditorValues;
    const input = saveInputOf(values, customer);
    const problems = validateCustomer(input, t);
    if (problems.length > 0) return show(problems);
    setSaving(true);
    const r = await save(input);
    setSaving(false);
    if (r.ok) {
      setDirty(false);
      return onSaved(r.value);
    }
    const fromServer = serverProblems(r.error, t);
    if (fromServer.length > 0) show(fromServer);
    else setFailure(r.error);
  };
  const opts = (values: readonly string[], prefix: string) => values.map((v) => ({ value: v, label: t(`${prefix}${v}`) }));

  return (
    <Form
      form={form}
      name={CUSTOMER_EDITOR_FORM}
      layout="vertical"
      size="small"
      className="cd-editor"
      data-testid="customer-editor"
      initialValues={valuesOf(customer)}
      onValuesChange={() => setDirty(true)}
      onFinish={() => void submit()}
    >
      {failure && (
        <Alert
          type="error"
          showIcon
          title={errorText(failure, t)}
          action={
            failure.code === 'CONFLICT' && onReload ? (
              <Button size="small" onClick={onReload}>
                {t('customers.editor.reload')}
              </Button>
            ) : undefined
          }
          style={{ marginBottom: 8 }}
          data-testid="editor-error"
        />
      )}
      <Card size="small" title={t('customers.editor.identity')}>
        <div className="cd-form-grid">
          <Form.Item name="name" label={t('customers.fields.name')} required>
            <Input data-testid="editor-name" />
          </Form.Item>
          <Form.Item name="company" label={t('customers.fields.company')}>
            <Input data-testid="editor-company" />
          </Form.Item>
          <Form.Item name="code" label={t('customers.fields.code')} extra={customer ? undefined : t('customers.editor.codeHint')}>
            <Input data-testid="editor-code" />
          </Form.Item>
          <Form.Item name="type" label={t('customers.fields.type')}>
            <Select options={opts(CUSTOMER_TYPES, 'customers.type.')} />
          </Form.Item>
          <Form.Item name="birthday" label={t('customers.fields.birthday')} extra={t('customers.editor.birthdayHint')}>
            <Input placeholder="1985-06-30" data-testid="editor-birthday" />
          </Form.Item>
          <Form.Item name="preferredLanguage" label={t('customers.fields.preferredLanguage')}>
            <Input placeholder="zh-CN" data-testid="editor-language" />
          </Form.Item>
          {!customer && (
            <Form.Item name="ownerId" label={t('customers.fields.owner')}>
              <Input data-testid="editor-owner" />
            </Form.Item>
          )}
        </div>
      </Card>
      <Card size="small" title={t('customers.editor.classification')}>
        <div className="cd-form-grid">
          <Form.Item name="status" label={t('customers.fields.status')}>
            <Select options={opts(CUSTOMER_STATUSES, 'customers.status.')} data-testid="editor-status" />
          </Form.Item>
          <Form.Item name="level" label={t('customers.fields.level')}>
            <Select options={opts(CUSTOMER_LEVELS, 'customers.level.')} data-testid="editor-level" />
          </Form.Item>
          <Form.Item name="lifecycleStage" label={t('customers.fields.lifecycleStage')}>
            <Select options={opts(LIFECYCLE_STAGES, 'customers.lifecycle.')} />
          </Form.Item>
          <Form.Item name="source" label={t('customers.fields.source')}>
            <Select options={opts(CUSTOMER_SOURCES, 'customers.source.')} />
          </Form.Item>
          <Form.Item name="creditRating" label={t('customers.fields.creditRating')}>
            <Select allowClear options={CREDIT_RATINGS.map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Form.Item name="points" label={t('customers.fields.points')}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="lifetimeValue" label={t('customers.fields.lifetimeValue')}>
            <InputNumber min={0} style={{ width: '100%' }} data-testid="editor-ltv" />
          </Form.Item>
          <Form.Item name="tags" label={t('customers.fields.tags')}>
            <Select mode="tags" tokenSeparators={[',']} open={false} suffixIcon={null} data-testid="editor-tags" />
          </Form.Item>
        </div>
      </Card>
      <Card size="small" title={t('customers.editor.contact')}>
        <Typography.Text strong>{t('customers.editor.phones')}</Typography.Text>
        <Form.List name="phones">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <div key={f.key} className="cd-list-row" data-testid="editor-phone-row">
                  <Form.Item name={[f.name, 'raw']}>
                    <Input placeholder="0755-8888 1234" aria-label={t('customers.editor.phoneNumber')} data-testid={`editor-phone-${f.name}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'label']}>
                    <Select style={{ width: 110 }} aria-label={t('customers.editor.kind')} options={opts(PHONE_LABELS, 'customers.phoneLabel.')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'primary']} valuePropName="checked">
                    <Checkbox>{t('customers.editor.primary')}</Checkbox>
                  </Form.Item>
                  <StoredPhoneDial stored={customer?.phones.map((p) => p.raw) ?? []} index={f.name} />
                  <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('customers.editor.remove')} onClick={() => remove(f.name)} />
                </div>
              ))}
              <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({ raw: '', label: 'mobile', primary: fields.length === 0 })} data-testid="editor-add-phone">
                {t('customers.editor.addPhone')}
              </Button>
            </>
          )}
        </Form.List>
        <div style={{ height: 10 }} />
        <Typography.Text strong>{t('customers.editor.emails')}</Typography.Text>
        <Form.List name="emails">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <div key={f.key} className="cd-list-row" data-testid="editor-email-row">
                  <Form.Item name={[f.name, 'address']}>
                    <Input placeholder="name@example.com" aria-label={t('customers.editor.emailAddress')} data-testid={`editor-email-${f.name}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'label']}>
                    <Select style={{ width: 110 }} aria-label={t('customers.editor.kind')} options={opts(CONTACT_LABELS, 'customers.contactLabel.')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'primary']} valuePropName="checked">
                    <Checkbox>{t('customers.editor.primary')}</Checkbox>
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('customers.editor.remove')} onClick={() => remove(f.name)} />
                </div>
              ))}
              <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({ address: '', label: 'work', primary: fields.length === 0 })} data-testid="editor-add-email">
                {t('customers.editor.addEmail')}
              </Button>
            </>
          )}
        </Form.List>
        <div style={{ height: 10 }} />
        <Typography.Text strong>{t('customers.editor.addresses')}</Typography.Text>
        <Form.List name="addresses">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <div key={f.key} className="cd-list-row" data-testid="editor-address-row">
                  <Form.Item name={[f.name, 'line1']}>
                    <Input placeholder={t('customers.editor.addressLine')} aria-label={t('customers.editor.addressLine')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'city']}>
                    <Input placeholder={t('customers.editor.city')} aria-label={t('customers.editor.city')} style={{ width: 110 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'postalCode']}>
                    <Input placeholder={t('customers.editor.postalCode')} aria-label={t('customers.editor.postalCode')} style={{ width: 90 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'country']}>
                    <Input placeholder="CN" aria-label={t('customers.editor.country')} style={{ width: 56 }} maxLength={2} />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('customers.editor.remove')} onClick={() => remove(f.name)} />
                </div>
              ))}
              <Button
                type="dashed"
                size="small"
                icon={<PlusOutlined />}
                onClick={() => add({ label: 'work', line1: '', line2: '', city: '', region: '', postalCode: '', country: '' })}
              >
                {t('customers.editor.addAddress')}
              </Button>
            </>
          )}
        </Form.List>
      </Card>
      <Card size="small" title={t('customers.editor.profile')}>
        <Form.Item name="preferences" label={t('customers.fields.preferences')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="editor-preferences" />
        </Form.Item>
        <Form.Item name="notes" label={t('customers.fields.notes')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} data-testid="editor-notes" />
        </Form.Item>
        <Space size={16}>
          <Typography.Text>{t('customers.fields.contactPermissions')}</Typography.Text>
          <Form.Item name={['contactPermissions', 'call']} valuePropName="checked" noStyle>
            <Checkbox>{t('customers.permissions.call')}</Checkbox>
          </Form.Item>
          <Form.Item name={['contactPermissions', 'sms']} valuePropName="checked" noStyle>
            <Checkbox>{t('customers.permissions.sms')}</Checkbox>
          </Form.Item>
          <Form.Item name={['contactPermissions', 'email']} valuePropName="checked" noStyle>
            <Checkbox>{t('customers.permissions.email')}</Checkbox>
          </Form.Item>
        </Space>
      </Card>
      <Space>
        <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={saving} data-testid="editor-save">
          {customer ? t('customers.editor.save') : t('customers.editor.create')}
        </Button>
        {dirty && <Typography.Text type="warning">{t('customers.editor.unsaved')}</Typography.Text>}
      </Space>
    </Form>
  );
}

/** The dial button of a phone row once its number is stored (numbers being typed are not dialable yet). */
function StoredPhoneDial({ stored, index }: { stored: string[]; index: number }) {
  const form = Form.useFormInstance();
  const raw = Form.useWatch(['phones', index, 'raw'], form) as string | undefined;
  if (!raw || !stored.includes(raw)) return null;
  return <DialLink number={raw} label="" testId="editor-phone-dial" />;
}
