import { Button, Form, Input, Space, Typography } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePhoneStore } from '../../stores/phoneStore';

/** The SIP password: sent once to the core's secret store, never kept in settings or shown again. */
export function SipPasswordField() {
  const { t } = useTranslation();
  const run = usePhoneStore((s) => s.run);
  const [password, setPassword] = useState('');
  const [warning, setWarning] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const save = async () => {
    let answer: string | null = null;
    const ok = await run(async (api) => {
      const r = await api.phone.setPassword({ password });
      if (r.ok) answer = r.value.warning;
      return r;
    });
    if (ok) {
      setPassword('');
      setSaved(true);
      setWarning(answer);
    }
  };
  const id = useId();
  return (
    <Form.Item label={t('phone.password')} htmlFor={id} help={warning ?? t('phone.passwordHelp')} validateStatus={warning ? 'warning' : undefined}>
      <Space>
        <Input.Password
          id={id}
          data-testid="sip-password"
          value={password}
          autoComplete="new-password"
          onChange={(e) => {
            setPassword(e.target.value);
            setSaved(false);
          }}
          onPressEnter={() => password && void save()}
          style={{ width: 260 }}
        />
        <Button onClick={() => void save()} disabled={!password} data-testid="sip-password-save">
          {t('phone.passwordSave')}
        </Button>
        <Button onClick={() => void run((api) => api.phone.register())} data-testid="sip-register">
          {t('phone.registerNow')}
        </Button>
        {saved && <Typography.Text type="success">{t('phone.passwordSaved')}</Typography.Text>}
      </Space>
    </Form.Item>
  );
}
