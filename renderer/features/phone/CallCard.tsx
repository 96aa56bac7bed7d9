import {
  AudioMutedOutlined,
  AudioOutlined,
  NumberOutlined,
  PauseOutlined,
  PhoneOutlined,
  CaretRightOutlined,
  SwapOutlined,
  ArrowDownOutlined,
  ArrowUpOutlined,
  ShareAltOutlined,
} from '@ant-design/icons';
import { Alert, Button, Card, Input, Popover, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallSnapshot } from '../../../shared/phone/call';
import { plainText } from '../../../shared/text/plainText';
import type { QualitySample } from '../../../shared/phone/quality';
import { CallTimer } from '../../components/CallTimer';
import { DialPad } from '../../components/DialPad';
import { QueueOfferLine } from '../queue/QueueOfferLine';
import { useCoreStore } from '../../stores/coreStore';
import { usePhoneStore } from '../../stores/phoneStore';
import { settingValue, SETTING_DEFAULTS } from '../../../shared/settings/definitions';
import { callHeaderLabel } from './callHeaderLabel';

/** What the agent can do with one call. */
export interface CallActions {
  answer(): void;
  reject(): void;
  hangup(): void;
  hold(): void;
  resume(): void;
  mute(muted: boolean): void;
  dtmf(tone: string): void;
  transferBlind(target: string): void;
  consult(target: string): void;
  /** Completes an attended transfer of this call to `otherCallId`'s party. */
  transferTo(otherCallId: string): void;
  swap(): void;
}

/** Wall-clock time (HH:MM:SS) of an epoch-ms instant, '' when unknown. */
function clock(at: number | undefined): string {
  return at === undefined ? '' : new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

const STATE_COLOR = { dialing: 'processing', ringing: 'gold', answering: 'processing', active: 'green', held: 'orange', ended: 'default' } as const;

/** Codec names as telephony people write them (getStats gives lower-case MIME subtypes). */
const CODEC_LABELS: Record<string, string> = { pcmu: 'PCMU', pcma: 'PCMA', g722: 'G.722', opus: 'Opus' };
function codecLabel(codec: string): string {
  return CODEC_LABELS[codec] ?? codec.toUpperCase();
}

/** One call: who, state, timer, quality, and its controls. */
export function CallCard({ call, quality, others, actions }: { call: CallSnapshot; quality?: QualitySample; others: CallSnapshot[]; actions: CallActions }) {
  const { t } = useTranslation();
  const [target, setTarget] = useState('');
  const live = call.state === 'active' || call.state === 'held';
  const inboundRinging = call.direction === 'inbound' && call.state === 'ringing';
  // The core already sends plain text; a long name is cut on screen (CSS) and shown whole on hover.
  const name = plainText(call.remote.displayName) || call.remote.number || t('phone.anonymous');
  const since = call.times.answered ?? call.times.ringing ?? call.times.created;
  const transferable = others.filter((o) => o.state === 'active' || o.state === 'held');
  const transferOpen = usePhoneStore((s) => s.transferFor === call.id);
  const openTransfer = usePhoneStore((s) => s.openTransfer);
  const headerMappings = useCoreStore((s) => (s.state ? settingValue(s.state.settings, 'screenPop.headerMappings') : SETTING_DEFAULTS['screenPop.headerMappings']));
  return (
    <Card size="small" className={`cd-call cd-call-${call.state}`} data-testid="call-card" data-call-id={call.id} data-call-state={call.state} data-remote={call.remote.number} data-remote-hold={String(call.remoteHold)}>
      <div className="cd-call-head">
        <div className="cd-call-who">
          {call.direction === 'inbound' ? <ArrowDownOutlined aria-label={t('phone.inbound')} /> : <ArrowUpOutlined aria-label={t('phone.outbound')} />}
          <Typography.Text strong className="cd-oneline" title={name} data-testid="call-remote">
            {name}
          </Typography.Text>
          {call.remote.displayName && call.remote.number && (
            <Typography.Text type="secondary" className="cd-call-number" data-testid="call-remote-number">
              {call.remote.number}
            </Typography.Text>
          )}
        </div>
        <Space size={4}>
          <Tag color={STATE_COLOR[call.state]} data-testid="call-state">
            {t(`phone.state.${call.state}`)}
          </Tag>
          {call.waiting && <Tag color="magenta">{t('phone.waiting')}</Tag>}
          {call.remoteHold && <Tag>{t('phone.remoteHold')}</Tag>}
          {call.dtmfReceived && <Tag data-testid="call-dtmf-received">{t('phone.dtmfReceived', { digits: call.dtmfReceived })}</Tag>}
          <CallTimer since={since} testId="call-timer" />
        </Space>
      </div>
      {call.queue && <QueueOfferLine offer={call.queue} />}
      {live && call.media?.state === 'silent' && (
        <Alert
          type="warning"
          showIcon
          data-testid="call-media-silent"
          message={t('phone.mediaSilent', { time: clock(call.media.lastMediaAt), end: clock(call.media.endsAt) })}
        />
      )}
      {Object.keys(call.headers).length > 0 && (
        <div className="cd-call-headers">
          {Object.entries(call.headers).map(([k, v]) => (
            <Tag key={k} data-testid={`call-header-${k}`}>
              {callHeaderLabel(t, k, headerMappings)}: {v}
            </Tag>
          ))}
        </div>
      )}
      {quality && live && (
        <Tooltip title={t('phone.qualityDetail', { rtt: Math.round(quality.rttMs), jitter: quality.jitterMs.toFixed(1), loss: (quality.loss * 100).toFixed(1), kbps: quality.bitrateKbps })}>
          <Tag color={quality.mos >= 4 ? 'green' : quality.mos >= 3.6 ? 'gold' : 'red'} data-testid="call-mos" data-codec={quality.codec}>
            {codecLabel(quality.codec)} · MOS {quality.mos.toFixed(1)}
          </Tag>
        </Tooltip>
      )}
      <Space wrap size={4} className="cd-call-actions">
        {inboundRinging && (
          <>
            <Button type="primary" icon={<PhoneOutlined />} onClick={actions.answer} data-testid="call-answer">
              {t('phone.answer')}
            </Button>
            <Button danger onClick={actions.reject} data-testid="call-reject">
              {t('phone.reject')}
            </Button>
          </>
        )}
        {call.state === 'active' && (
          <Button icon={<PauseOutlined />} onClick={actions.hold} data-testid="call-hold">
            {t('phone.hold')}
          </Button>
        )}
        {call.state === 'held' && (
          <Button icon={<CaretRightOutlined />} onClick={actions.resume} data-testid="call-resume">
            {t('phone.resume')}
          </Button>
        )}
        {live && (
          <Button icon={call.muted ? <AudioMutedOutlined /> : <AudioOutlined />} onClick={() => actions.mute(!call.muted)} data-testid="call-mute" aria-pressed={call.muted}>
            {call.muted ? t('phone.unmute') : t('phone.mute')}
          </Button>
        )}
        {call.state === 'active' && (
          <Popover trigger="click" content={<DialPad onKey={actions.dtmf} testIdPrefix="dtmf" />} title={t('phone.keypad')}>
            <Button icon={<NumberOutlined />} data-testid="call-keypad">
              {t('phone.keypad')}
            </Button>
          </Popover>
        )}
        {live && (
          <Popover
            trigger="click"
            open={transferOpen}
            onOpenChange={(open) => openTransfer(open ? call.id : null)}
            title={t('phone.transfer')}
            content={
              <Space direction="vertical">
                <Input value={target} onChange={(e) => setTarget(e.target.value)} placeholder={t('phone.transferTarget')} data-testid="transfer-target" />
                <Space>
                  <Button disabled={!target.trim()} onClick={() => actions.transferBlind(target.trim())} data-testid="transfer-blind">
                    {t('phone.transferBlind')}
                  </Button>
                  <Button disabled={!target.trim()} onClick={() => actions.consult(target.trim())} data-testid="transfer-consult">
                    {t('phone.consult')}
                  </Button>
                </Space>
              </Space>
            }
          >
            <Button icon={<ShareAltOutlined />} data-testid="call-transfer">
              {t('phone.transfer')}
            </Button>
          </Popover>
        )}
        {call.state === 'held' &&
          transferable.map((o) => (
            <Button key={o.id} onClick={() => actions.transferTo(o.id)} data-testid="transfer-complete">
              {t('phone.completeTransfer', { name: o.remote.displayName || o.remote.number })}
            </Button>
          ))}
        {call.state === 'held' && transferable.length > 0 && (
          <Button icon={<SwapOutlined />} onClick={actions.swap} data-testid="call-swap">
            {t('phone.swap')}
          </Button>
        )}
        {!inboundRinging && (
          <Button danger type="primary" onClick={actions.hangup} data-testid="call-hangup">
            {call.state === 'dialing' || call.state === 'ringing' ? t('phone.cancel') : t('phone.hangup')}
          </Button>
        )}
      </Space>
    </Card>
  );
}
