import { UserAddOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CUSTOMER_LEVELS, CUSTOMER_TYPES, type Customer, type CustomerLevel, type CustomerSaveInput, type CustomerType } from '../../../shared/customer/schema';
import { useCustomerStore } from '../../stores/customerStore';
import { errorText, serverProblems, validateCustomer, type FieldProblem } from './validation';

interface QuickValues {
  name: string;
  phone: string;
  company: string;
  type: CustomerType;
  level: CustomerLevel;
  notes: string;
}

/**
 * The quick-create form of a pop with no match: name, the caller's number (prefilled), company,
 * type, tier and a note. Saves through `customer:save` with source "inbound call"; errors show next
 * to their field. The next call from that number pops the new customer.
 */
export function QuickCreateForm({ prefill, onCreated }: { prefill: { name: string; phone: string | null }; onCreated(customer: Customer): void }) {
  const { t } = useTranslation();
  const save = useCustomerStore((s) => s.save);
  const [form] = Form.useForm<QuickValues>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const show = (problems: FieldProblem[]) => {
    const shown: (keyof QuickValues)[] = ['name', 'phone', 'company', 'notes'];
    const fields = problems
      .map((p) => ({ name: (p.name[0] === 'phones' ? 'phone' : p.name[0]) as keyof QuickValues, errors: [p.message] }))
      .filter((f) => shown.includes(f.name));
    if (fields.length > 0) form.setFields(fields);
    else setFailure(problems[0]?.message ?? null);
  };
  const submit = async (values: QuickValues) => {
    setFailure(null);
    const input: CustomerSaveInput = {
      name: values.name ?? '',
      company: values.company ?? '',
      type: values.type,
      level: values.level,
      source: 'inbound-call',
      notes: values.notes ?? '',
      phones: values.phone?.trim() ? [{ raw: values.phone.trim(), label: 'mobile', primary: true }] : [],
    };
    const problems = validateCustomer(input, t);
    if (problems.length > 0) return show(problems);
    setSaving(true);
    const r = await save(input);
    setSaving(false);
    if (r.ok) return onCreated(r.value);
    const fromServer = serverProblems(r.error, t);
    if (fromServer.length > 0) show(fromServer);
    else setFailure(errorText(r.error, t));
  };
  return (
    <Form
      form={form}
      layout="vertical"
      size="small"
      className="cd-quick-create"
      data-testid="pop-quick-create"
      initialValues={{ name: prefill.name, phone: prefill.phone ?? '', company: '', type: 'person', level: 'standard', notes: '' }}
      onFinish={(v) => void submit(v)}
    >
      <div className="cd-form-grid">
        <Form.Item name="name" label={t('customers.fields.name')} required>
          <Input data-testid="quick-name" />
        </Form.Item>
        <Form.Item name="phone" label={t('customers.fields.phone')}>
          <Input data-testid="quick-phone" />
        </Form.Item>
        <Form.Item name="company" label={t('customers.fields.company')}>
          <Input data-testid="quick-company" />
        </Form.Item>
        <Form.Item name="type" label={t('customers.fields.type')}>
          <Select options={CUSTOMER_TYPES.map((v) => ({ value: v, label: t(`customers.type.${v}`) }))} />
        </Form.Item>
        <Form.Item name="level" label={t('customers.fields.level')}>
          <Select options={CUSTOMER_LEVELS.map((v) => ({ value: v, label: t(`customers.level.${v}`) }))} />
        </Form.Item>
        <Form.Item name="notes" label={t('customers.fields.notes')}>
          <Input data-testid="quick-notes" />
        </Form.Item>
      </div>
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 8 }} data-testid="quick-error" />}
      <Button type="primary" htmlType="submit" icon={<UserAddOutlined />} loading={saving} data-testid="quick-save">
        {t('customers.pop.create')}
      </Button>
    </Form>
  );
}
