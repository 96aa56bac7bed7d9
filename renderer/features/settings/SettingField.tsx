import { LockOutlined } from '@ant-design/icons';
import { Form, Input, Select, Switch, Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingEntry } from '../../../shared/settings/definitions';
import type { SettingControl } from './settingFields';

/** Props of one setting row. */
export interface SettingFieldProps {
  entry: SettingEntry;
  control: SettingControl;
  error: string | null;
  onChange(value: unknown): void;
}

const SOURCE_COLOR = { default: 'default', policy: 'gold', user: 'blue', env: 'purple' } as const;

/** One setting: its control, where its value comes from, and a lock when policy fixes it. */
export function SettingField({ entry, control, error, onChange }: SettingFieldProps) {
  const { t } = useTranslation();
  const disabled = entry.locked || entry.source === 'env';
  const label = (
    <span>
      {t(`settings.keys.${entry.key}`)}{' '}
      {entry.locked && (
        <Tooltip title={t('settings.locked')}>
          <LockOutlined aria-label={t('settings.locked')} data-testid={`locked-${entry.key}`} />
        </Tooltip>
      )}{' '}
      <Tag color={SOURCE_COLOR[entry.source]}>{t(`settings.source.${entry.source}`)}</Tag>
    </span>
  );
  const testId = `setting-${entry.key}`;
  return (
    <Form.Item
      label={label}
      help={error ?? (entry.source === 'env' ? t('settings.envOverride') : t(`settings.help.${entry.key}`))}
      validateStatus={error ? 'error' : undefined}
    >
      {control.kind === 'select' && (
        <Select
          data-testid={testId}
          value={entry.value as string}
          disabled={disabled}
          style={{ maxWidth: 320 }}
          onChange={onChange}
          options={control.options.map((o) => ({ value: o, label: t(`${control.optionPrefix}${o}`) }))}
        />
      )}
      {control.kind === 'switch' && <Switch data-testid={testId} checked={entry.value as boolean} disabled={disabled} onChange={onChange} />}
      {control.kind === 'text' && (
        <TextSetting testId={testId} value={entry.value as string} disabled={disabled} placeholder={control.placeholder} onCommit={onChange} />
      )}
    </Form.Item>
  );
}

function TextSetting(props: { testId: string; value: string; disabled: boolean; placeholder?: string; onCommit(v: string): void }) {
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  const commit = () => {
    if (draft !== props.value) props.onCommit(draft);
  };
  return (
    <Input
      data-testid={props.testId}
      value={draft}
      disabled={props.disabled}
      placeholder={props.placeholder}
      style={{ maxWidth: 480 }}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onPressEnter={commit}
    />
  );
}
