import { Alert, Button, Form, Input, Space, Typography } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSyncStore } from '../../stores/syncStore';
import { syncErrorText } from '../sync/syncText';

type Field = 'url' | 'username' | 'password';

/** Codes that are about the address rather than the account. */
const URL_CODES = new Set(['INVALID_SETTING', 'SETTING_LOCKED']);

/**
 * Sign-in to the central server: address (prefilled from the configured one), user name, password.
 * Checks the fields before sending; a refusal is shown at the form in the agent's language.
 */
export function ServerSignInForm({ defaultUrl }: { defaultUrl: string }) {
  const { t } = useTranslation();
  const signIn = useSyncStore((s) => s.signIn);
  // null: not edited yet, so the configured address (which may arrive later) is shown.
  const [url, setUrl] = useState<string | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const address = (url ?? defaultUrl).trim();

  const check = (): Partial<Record<Field, string>> => {
    const out: Partial<Record<Field, string>> = {};
    if (!address) out.url = t('sync.account.required');
    else if (!/^https?:\/\/[^\s/]+/i.test(address)) out.url = t('sync.account.badUrl');
    if (!username.trim()) out.username = t('sync.account.required');
    if (!password) out.password = t('sync.account.required');
    return out;
  };

  const submit = async () => {
    if (busy) return;
    const problems = check();
    setErrors(problems);
    setFormError(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    const r = await signIn({ url: address, username: username.trim(), password });
    setBusy(false);
    if (r.ok) {
      setPassword('');
      return;
    }
    const text = syncErrorText(r.error, t);
    if (URL_CODES.has(r.error.code)) setErrors({ url: text });
    else setFormError(text);
  };

  const status = (field: Field) => (errors[field] ? { validateStatus: 'error' as const, help: errors[field] } : {});
  const edit = (field: Field, set: (v: string) => void) => (e: { target: { value: string } }) => {
    set(e.target.value);
    setErrors((prev) => ({ ...prev, [field]: undefined }));
    setFormError(null);
  };

  const id = useId();
  return (
    <div data-testid="server-sign-in-form">
      <Typography.Paragraph type="secondary">{t('sync.account.signedOutHelp')}</Typography.Paragraph>
      <Form.Item label={t('sync.account.url')} htmlFor={`${id}-url`} {...status('url')}>
        <Input id={`${id}-url`} data-testid="server-url" value={url ?? defaultUrl} placeholder="https://calldesk.example.com" onChange={edit('url', setUrl)} onPressEnter={() => void submit()} style={{ maxWidth: 420 }} />
      </Form.Item>
      <Form.Item label={t('sync.account.username')} htmlFor={`${id}-username`} {...status('username')}>
        <Input id={`${id}-username`} data-testid="server-username" value={username} autoComplete="username" onChange={edit('username', setUsername)} onPressEnter={() => void submit()} style={{ maxWidth: 260 }} />
      </Form.Item>
      <Form.Item label={t('sync.account.password')} htmlFor={`${id}-password`} {...status('password')}>
        <Input.Password
          id={`${id}-password`}
          data-testid="server-password"
          value={password}
          autoComplete="current-password"
          onChange={edit('password', setPassword)}
          onPressEnter={() => void submit()}
          style={{ maxWidth: 260 }}
        />
      </Form.Item>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {formError && <Alert type="error" showIcon title={formError} data-testid="server-sign-in-error" />}
        <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="server-sign-in">
          {t('sync.account.signIn')}
        </Button>
      </Space>
    </div>
  );
}
