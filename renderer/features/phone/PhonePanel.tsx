import { PhoneOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallSnapshot } from '../../../shared/phone/call';
import { DialPad } from '../../components/DialPad';
import { liveCalls, usePhoneStore } from '../../stores/phoneStore';
import { MonitorIndicator } from '../monitoring/MonitorIndicator';
import { CallCard, type CallActions } from './CallCard';
import { failureOfDetails, failureText } from '../../components/callFailureText';
import { RecentCalls } from '../../components/RecentCalls';
import { useCallerNames } from './useCallerNames';

/** Builds the actions of one call over the phone store. */
function actionsFor(call: CallSnapshot): CallActions {
  const run = usePhoneStore.getState().run;
  const callId = call.id;
  return {
    answer: () => void run((api) => api.call.answer({ callId })),
    reject: () => void run((api) => api.call.reject({ callId })),
    hangup: () => void run((api) => api.call.hangup({ callId })),
    hold: () => void run((api) => api.call.hold({ callId })),
    resume: () => void run((api) => api.call.resume({ callId })),
    mute: (muted) => void run((api) => api.call.mute({ callId, muted })),
    dtmf: (tones) => void run((api) => api.call.dtmf({ callId, tones })),
    transferBlind: (target) => void run((api) => api.call.transferBlind({ callId, target })),
    consult: (target) =>
      void run(async (api) => {
        if (call.state === 'active') {
          const held = await api.call.hold({ callId });
          if (!held.ok) return held;
        }
        return api.call.dial({ target });
      }),
    transferTo: (consultCallId) => void run((api) => api.call.transferAttended({ callId, consultCallId })),
    swap: () => void run((api) => api.call.swap({ callId })),
  };
}

/** The softphone: dial box, keypad and every live call with its controls. Always on screen. */
export function PhonePanel() {
  const { t } = useTranslation();
  const phone = usePhoneStore((s) => s.phone);
  const quality = usePhoneStore((s) => s.quality);
  const lastError = usePhoneStore((s) => s.lastError);
  const run = usePhoneStore((s) => s.run);
  const clearError = usePhoneStore((s) => s.clearError);
  const recent = (phone?.calls ?? []).filter((c) => c.state === 'ended').sort((a, b) => (b.times.ended ?? 0) - (a.times.ended ?? 0));
  const recentNames = useCallerNames(recent);
  const [target, setTarget] = useState('');
  const [pad, setPad] = useState(false);
  const calls = liveCalls(phone);
  // A call action refused for a known failure (e.g. media) shows the human text; the raw detail is logged.
  const lastFailure = lastError ? failureOfDetails(lastError.details) : null;
  const errorText = lastFailure ? failureText(t, lastFailure.failure, lastFailure.sipCode) : lastError?.message;
  const registered = phone?.registration.state === 'registered';
  const dial = () => {
    const to = target.trim();
    if (!to) return;
    void run((api) => api.call.dial({ target: to })).then((ok) => ok && setTarget(''));
  };
  return (
    <aside className="cd-phone" data-testid="phone-panel" aria-label={t('phone.title')}>
      <Typography.Text strong>{t('phone.title')}</Typography.Text>
      <Space.Compact style={{ width: '100%', marginTop: 8 }}>
        <Input
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          onPressEnter={dial}
          placeholder={t('phone.dialPlaceholder')}
          data-testid="dial-input"
          allowClear
        />
        <Button type="primary" icon={<PhoneOutlined />} onClick={dial} disabled={!registered || !target.trim()} data-testid="dial-button">
          {t('phone.call')}
        </Button>
      </Space.Compact>
      <Button type="link" size="small" onClick={() => setPad(!pad)} data-testid="dialpad-toggle">
        {pad ? t('phone.hideKeypad') : t('phone.showKeypad')}
      </Button>
      {pad && <DialPad onKey={(k) => setTarget((v) => v + k)} />}
      {lastError && (
        <Alert type="error" showIcon closable onClose={clearError} message={errorText} data-testid="phone-error" style={{ margin: '8px 0' }} />
      )}
      <MonitorIndicator />
      <div className="cd-calls">
        {calls.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('phone.noCalls')} />
        ) : (
          calls.map((c) => {
            const others = calls.filter((o) => o.id !== c.id);
            return <CallCard key={c.id} call={c} quality={quality[c.id]} others={others} actions={actionsFor(c)} />;
          })
        )}
      </div>
      <RecentCalls calls={recent} names={recentNames} onCallBack={(number) => void run((api) => api.call.dial({ target: number }))} />
    </aside>
  );
}
