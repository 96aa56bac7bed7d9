import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Input, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HEADER_USES, headerMappingSchema, type HeaderMapping } from '../../shared/customer/screenPop';

/** Props of {@link HeaderMappingsEditor}. */
export interface HeaderMappingsEditorProps {
  value: HeaderMapping[];
  disabled: boolean;
  onChange(value: HeaderMapping[]): void;
  testId?: string;
  /** Accessible name of the whole editor (the setting's name). */
  label?: string;
}

/**
 * Edits `screenPop.headerMappings`: which SIP header means what (X-Account is a customer code,
 * X-Queue is shown on the card...). Rows are checked here and applied together, so a half-typed
 * row never reaches the core.
 */
export function HeaderMappingsEditor({ value, disabled, onChange, testId = 'setting-screenPop.headerMappings', label }: HeaderMappingsEditorProps) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<HeaderMapping[]>(value);
  useEffect(() => setRows(value), [value]);
  const bad = rows.map((r) => !headerMappingSchema.safeParse(r).success);
  const changed = JSON.stringify(rows) !== JSON.stringify(value);
  const set = (i: number, patch: Partial<HeaderMapping>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div data-testid={testId} role="group" aria-label={label}>
      {rows.map((r, i) => (
        <Space.Compact key={i} style={{ display: 'flex', maxWidth: 560, marginBottom: 4 }}>
          <Input
            value={r.header}
            status={bad[i] ? 'error' : undefined}
            disabled={disabled}
            placeholder="X-Account"
            aria-label={t('customers.mappings.header')}
            onChange={(e) => set(i, { header: e.target.value })}
            data-testid={`mapping-header-${i}`}
            style={{ width: 180 }}
          />
          <Select
            value={r.use}
            aria-label={t('customers.mappings.useLabel')}
            disabled={disabled}
            onChange={(use) => set(i, { use })}
            options={HEADER_USES.map((u) => ({ value: u, label: t(`customers.mappings.use.${u}`) }))}
            style={{ width: 200 }}
          />
          <Input
            value={r.label}
            status={bad[i] ? 'error' : undefined}
            disabled={disabled}
            placeholder="queue"
            aria-label={t('customers.mappings.label')}
            onChange={(e) => set(i, { label: e.target.value })}
            data-testid={`mapping-label-${i}`}
            style={{ width: 140 }}
          />
          <Button icon={<MinusCircleOutlined />} disabled={disabled} aria-label={t('customers.editor.remove')} onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))} />
        </Space.Compact>
      ))}
      <Space>
        <Button size="small" type="dashed" icon={<PlusOutlined />} disabled={disabled} onClick={() => setRows((rs) => [...rs, { header: '', use: 'display', label: '' }])}>
          {t('customers.mappings.add')}
        </Button>
        <Button size="small" type="primary" disabled={disabled || !changed || bad.some(Boolean)} onClick={() => onChange(rows)} data-testid="mapping-apply">
          {t('customers.mappings.apply')}
        </Button>
        {bad.some(Boolean) && <Typography.Text type="danger">{t('customers.mappings.invalid')}</Typography.Text>}
      </Space>
    </div>
  );
}
