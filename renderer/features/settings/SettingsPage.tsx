import { Alert, Card, Form, Typography, message } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCoreStore } from '../../stores/coreStore';
import { SettingField } from './SettingField';
import { SETTING_GROUPS } from './settingFields';
import { ServerAccount } from './ServerAccount';
import { SipPasswordField } from './SipPasswordField';
import { Translated } from '../../components/Translated';

/** The Settings page: every setting the core exposes, grouped, saved on change. */
export function SettingsPage() {
  const { t } = useTranslation();
  const settings = useCoreStore((s) => s.state?.settings);
  const setSetting = useCoreStore((s) => s.setSetting);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [toast, holder] = message.useMessage();
  if (!settings) return null;
  const change = async (key: string, value: unknown) => {
    const error = await setSetting(key, value);
    setErrors((e) => {
      const next = { ...e };
      if (error) next[key] = t('settings.saveFailed', { message: error.message });
      else delete next[key];
      return next;
    });
    if (!error) void toast.success({ content: <Translated text={(tr) => tr('settings.saved')} />, duration: 1 });
  };
  return (
    <div className="cd-page cd-page-form" data-testid="page-settings">
      {holder}
      <Typography.Title level={3}>{t('settings.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('settings.subtitle')}</Typography.Paragraph>
      {settings.problems && settings.problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          className="cd-card"
          data-testid="settings-problems"
          message={t('settings.problemsTitle', { count: settings.problems.length })}
          description={
            <ul>
              {settings.problems.map((p, i) => (
                <li key={i}>{p.message}</li>
              ))}
            </ul>
          }
        />
      )}
      <Form layout="vertical">
        {SETTING_GROUPS.map((group) => (
          <Card key={group.titleKey} title={t(group.titleKey)} size="small" className="cd-card">
            {group.fields.map(({ key, control }) => {
              const entry = settings.entries.find((e) => e.key === key);
              if (!entry) return null;
              return <SettingField key={key} entry={entry} control={control} error={errors[key] ?? null} onChange={(v) => void change(key, v)} />;
            })}
            {group.extra === 'sip-password' && <SipPasswordField />}
            {group.extra === 'server-account' && <ServerAccount />}
          </Card>
        ))}
      </Form>
    </div>
  );
}
