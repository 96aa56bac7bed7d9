import { LockOutlined } from '@ant-design/icons';
import { Form, Input, InputNumber, Select, Switch, Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingEntry } from '../../../shared/settings/definitions';
import type { HeaderMapping } from '../../../shared/customer/screenPop';
import { useAudioDevices } from '../../media/useAudioDevices';
import { HeaderMappingsEditor } from '../../components/HeaderMappingsEditor';
import type { SettingControl } from './settingFields';

/** Props of one setting row. */
export interface SettingFieldProps {
  entry: SettingEntry;
  control: SettingControl;
  error: string | null;
  onChange(value: unknown): void;
}

const SOURCE_COLOR = { default: 'default', server: 'cyan', policy: 'gold', user: 'blue', env: 'purple' } as const;

/** One setting: its control, where its value comes from, and a lock when policy fixes it. */
export function SettingField({ entry, control, error, onChange }: SettingFieldProps) {
  const { t } = useTranslation();
  const disabled = entry.locked || entry.source === 'env';
  const label = (
    <span>
      {t(`settings.keys.${entry.key}`)}{' '}
      {entry.locked && (
        <Tooltip title={t(entry.source === 'server' ? 'settings.source.server' : 'settings.locked')}>
          <LockOutlined aria-label={t(entry.source === 'server' ? 'settings.source.server' : 'settings.locked')} data-testid={`locked-${entry.key}`} />
        </Tooltip>
      )}{' '}
      <Tag color={SOURCE_COLOR[entry.source]}>{t(`settings.source.${entry.source}`)}</Tag>
    </span>
  );
  return (
    <Form.Item
      label={label}
      help={error ?? (entry.problem ? t('settings.valueNotUsed', { message: entry.problem }) : entry.source === 'env' ? t('settings.envOverride') : t(`settings.help.${entry.key}`))}
      validateStatus={error ? 'error' : entry.problem ? 'warning' : undefined}
    >
      <Control entry={entry} control={control} disabled={disabled} onChange={onChange} label={t(`settings.keys.${entry.key}`)} />
    </Form.Item>
  );
}

/** The control of one setting; `label` (the setting's name) is its accessible name. */
function Control({ entry, control, disabled, onChange, label }: { entry: SettingEntry; control: SettingControl; disabled: boolean; onChange(v: unknown): void; label: string }) {
  const { t } = useTranslation();
  const testId = `setting-${entry.key}`;
  switch (control.kind) {
    case 'select':
      return (
        <Select
          data-testid={testId}
          aria-label={label}
          value={entry.value as string | number}
          disabled={disabled}
          style={{ maxWidth: 320 }}
          onChange={onChange}
          options={control.options.map((o) => ({ value: o, label: t(`${control.optionPrefix}${o}`) }))}
        />
      );
    case 'switch':
      return <Switch data-testid={testId} aria-label={label} checked={entry.value as boolean} disabled={disabled} onChange={onChange} />;
    case 'number':
      return (
        <InputNumber
          data-testid={testId}
          aria-label={label}
          value={entry.value as number}
          min={control.min}
          max={control.max}
          precision={0}
          disabled={disabled}
          onBlur={(e) => {
            const v = Number((e.target as HTMLInputElement).value);
            if (Number.isFinite(v) && v !== entry.value) onChange(v);
          }}
          onPressEnter={(e) => {
            const v = Number((e.target as HTMLInputElement).value);
            if (Number.isFinite(v) && v !== entry.value) onChange(v);
          }}
        />
      );
    case 'tags':
      return (
        <Select
          data-testid={testId}
          aria-label={label}
          mode="tags"
          value={entry.value as string[]}
          disabled={disabled}
          placeholder={control.placeholder}
          style={{ maxWidth: 480 }}
          onChange={onChange}
          tokenSeparators={[',', ' ']}
        />
      );
    case 'json':
      return (
        <CommitText
          testId={testId}
          label={label}
          value={JSON.stringify(entry.value)}
          disabled={disabled}
          placeholder={control.placeholder}
          onCommit={(text) => {
            try {
              onChange(JSON.parse(text || '[]'));
            } catch {
              onChange(text);
            }
          }}
        />
      );
    case 'device':
      return <DeviceSelect testId={testId} label={label} kind={control.device} value={entry.value as string} disabled={disabled} onChange={onChange} />;
    case 'headerMappings':
      return <HeaderMappingsEditor testId={testId} label={label} value={entry.value as HeaderMapping[]} disabled={disabled} onChange={onChange} />;
    case 'text':
      return <CommitText testId={testId} label={label} value={entry.value as string} disabled={disabled} placeholder={control.placeholder} onCommit={onChange} />;
  }
}

function DeviceSelect(props: { testId: string; label: string; kind: 'audioinput' | 'audiooutput'; value: string; disabled: boolean; onChange(v: string): void }) {
  const { t } = useTranslation();
  const devices = useAudioDevices(props.kind);
  const options = [{ value: '', label: t('settings.values.defaultDevice') }, ...devices.map((d, i) => ({ value: d.deviceId, label: d.label || `${props.kind} ${i + 1}` }))];
  if (props.value && !devices.some((d) => d.deviceId === props.value)) options.push({ value: props.value, label: props.value.slice(0, 12) });
  return <Select data-testid={props.testId} aria-label={props.label} value={props.value} disabled={props.disabled} style={{ maxWidth: 420 }} onChange={props.onChange} options={options} />;
}

/** A text input that commits on Enter or blur, not on every key stroke. */
export function CommitText(props: { testId: string; label: string; value: string; disabled: boolean; placeholder?: string; onCommit(v: string): void }) {
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  const commit = () => {
    if (draft !== props.value) props.onCommit(draft);
  };
  return (
    <Input
      data-testid={props.testId}
      aria-label={props.label}
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
