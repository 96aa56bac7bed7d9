import type { SettingKey } from '../../../shared/settings/definitions';

/** How one setting is edited on the Settings page. */
export type SettingControl =
  | { kind: 'select'; options: readonly (string | number)[]; optionPrefix: string }
  | { kind: 'switch' }
  | { kind: 'text'; placeholder?: string }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'tags'; placeholder?: string }
  | { kind: 'json'; placeholder?: string }
  | { kind: 'device'; device: 'audioinput' | 'audiooutput' }
  | { kind: 'headerMappings' };

/** A group of settings on the page; `extra` names a special block rendered after the fields. */
export interface SettingGroup {
  titleKey: string;
  fields: { key: SettingKey; control: SettingControl }[];
  extra?: 'sip-password' | 'server-account';
}

/** Countries offered for the default phone region (any ISO code may still come from policy). */
export const COUNTRY_OPTIONS = ['CN', 'HK', 'MO', 'TW', 'SG', 'MY', 'US', 'GB', 'DE', 'JP'] as const;

/** The Settings page layout. Features with settings add their group here. */
export const SETTING_GROUPS: SettingGroup[] = [
  {
    titleKey: 'settings.groups.general',
    fields: [
      { key: 'ui.language', control: { kind: 'select', options: ['system', 'zh-CN', 'en-US'], optionPrefix: 'settings.values.' } },
      { key: 'ui.theme', control: { kind: 'select', options: ['light', 'dark'], optionPrefix: 'settings.values.' } },
      { key: 'ui.compact', control: { kind: 'switch' } },
    ],
  },
  {
    titleKey: 'settings.groups.sip',
    extra: 'sip-password',
    fields: [
      { key: 'sip.uri', control: { kind: 'text', placeholder: 'sip:1001@pbx.example.com' } },
      { key: 'sip.authUser', control: { kind: 'text' } },
      { key: 'sip.server', control: { kind: 'text', placeholder: 'wss://pbx.example.com:8089/ws' } },
      { key: 'sip.displayName', control: { kind: 'text' } },
      { key: 'sip.registerExpires', control: { kind: 'number', min: 10, max: 3600 } },
      { key: 'sip.iceServers', control: { kind: 'json', placeholder: '[{"urls":"stun:stun.example.com:3478"}]' } },
      { key: 'sip.tlsCaFile', control: { kind: 'text', placeholder: '/etc/calldesk/pbx-ca.pem' } },
      { key: 'media.codecOrder', control: { kind: 'json', placeholder: '["opus","g722","pcmu","pcma"]' } },
      { key: 'sip.dtmfMethod', control: { kind: 'select', options: ['rfc4733', 'info'], optionPrefix: 'settings.dtmf.' } },
      { key: 'sip.autoAnswer.enabled', control: { kind: 'switch' } },
      { key: 'sip.autoAnswer.delaySeconds', control: { kind: 'number', min: 0, max: 60 } },
      { key: 'sip.autoAnswer.honourCallInfo', control: { kind: 'switch' } },
      { key: 'sip.doNotDisturb', control: { kind: 'switch' } },
      { key: 'sip.rejectCode', control: { kind: 'select', options: [486, 603], optionPrefix: 'settings.rejectCodes.' } },
      { key: 'sip.ringTimeoutSeconds', control: { kind: 'number', min: 5, max: 600 } },
      { key: 'sip.mediaTimeoutSeconds', control: { kind: 'number', min: 5, max: 600 } },
      { key: 'sip.mappedHeaders', control: { kind: 'tags', placeholder: 'X-Queue' } },
    ],
  },
  {
    titleKey: 'settings.groups.devices',
    fields: [
      { key: 'media.microphone', control: { kind: 'device', device: 'audioinput' } },
      { key: 'media.speaker', control: { kind: 'device', device: 'audiooutput' } },
      { key: 'media.ringer', control: { kind: 'device', device: 'audiooutput' } },
    ],
  },
  {
    titleKey: 'settings.groups.phone',
    fields: [
      { key: 'phone.defaultCountry', control: { kind: 'select', options: COUNTRY_OPTIONS, optionPrefix: 'settings.countries.' } },
      { key: 'phone.pbxPrefixes', control: { kind: 'tags', placeholder: '9' } },
    ],
  },
  {
    titleKey: 'settings.groups.customers',
    fields: [
      { key: 'screenPop.trigger', control: { kind: 'select', options: ['ring', 'answer', 'manual'], optionPrefix: 'settings.screenPopTrigger.' } },
      { key: 'customer.dormantDays', control: { kind: 'number', min: 1, max: 3650 } },
      { key: 'screenPop.headerMappings', control: { kind: 'headerMappings' } },
    ],
  },
  {
    titleKey: 'workflow.settings.agent',
    fields: [
      { key: 'agent.id', control: { kind: 'text', placeholder: '1001' } },
      { key: 'agent.notReadyReasons', control: { kind: 'json', placeholder: '[{"code":"break"},{"code":"lunch"}]' } },
      { key: 'agent.missedRingNotReady', control: { kind: 'switch' } },
      { key: 'agent.notReadyInbound', control: { kind: 'select', options: ['keep-ringing', 'reject-busy'], optionPrefix: 'workflow.notReadyInbound.' } },
      { key: 'agent.queueHeader', control: { kind: 'text', placeholder: 'X-Queue' } },
    ],
  },
  {
    titleKey: 'workflow.settings.wrapUp',
    fields: [
      { key: 'wrapup.mode', control: { kind: 'select', options: ['optional', 'mandatory', 'time-boxed'], optionPrefix: 'workflow.wrapUpMode.' } },
      { key: 'wrapup.seconds', control: { kind: 'number', min: 5, max: 3600 } },
      { key: 'wrapup.extendSeconds', control: { kind: 'number', min: 5, max: 3600 } },
      { key: 'wrapup.dispositionRequired', control: { kind: 'switch' } },
      { key: 'wrapup.notesRequired', control: { kind: 'switch' } },
      { key: 'wrapup.defaultDisposition', control: { kind: 'text', placeholder: 'no-action' } },
      { key: 'wrapup.dispositions', control: { kind: 'json', placeholder: '[{"code":"resolved","dispositions":[{"code":"issue-resolved"}]}]' } },
    ],
  },
  {
    titleKey: 'workflow.settings.tickets',
    fields: [
      { key: 'tickets.categories', control: { kind: 'tags', placeholder: 'billing' } },
      { key: 'tickets.requireResolution', control: { kind: 'switch' } },
      { key: 'tickets.requireSatisfaction', control: { kind: 'switch' } },
      { key: 'tickets.slaRules', control: { kind: 'json', placeholder: '[{"priority":"P1","type":"complaint","minutes":120}]' } },
    ],
  },
  {
    titleKey: 'settings.groups.server',
    fields: [
      { key: 'server.url', control: { kind: 'text', placeholder: 'https://calldesk.example.com' } },
      { key: 'server.retryMaxSeconds', control: { kind: 'number', min: 1, max: 600 } },
      { key: 'monitoring.showIndicator', control: { kind: 'switch' } },
      { key: 'monitoring.serverKey', control: { kind: 'text', placeholder: 'base64 (44 characters)' } },
    ],
    extra: 'server-account',
  },
  {
    titleKey: 'settings.groups.integration',
    fields: [
      { key: 'cti.enabled', control: { kind: 'switch' } },
      { key: 'cti.port', control: { kind: 'number', min: 0, max: 65535 } },
    ],
  },
  {
    titleKey: 'settings.groups.updates',
    fields: [
      { key: 'update.enabled', control: { kind: 'switch' } },
      { key: 'update.url', control: { kind: 'text', placeholder: 'https://updates.example.com/calldesk' } },
      { key: 'update.channel', control: { kind: 'select', options: ['stable', 'beta'], optionPrefix: 'settings.updateChannels.' } },
      { key: 'update.maxVersion', control: { kind: 'text', placeholder: '1.4.0' } },
      { key: 'update.pinnedVersion', control: { kind: 'text', placeholder: '1.4.0' } },
      { key: 'update.rolloutPercent', control: { kind: 'number', min: 0, max: 100 } },
      { key: 'update.maxPostpones', control: { kind: 'number', min: 0, max: 20 } },
      { key: 'update.checkIntervalMinutes', control: { kind: 'number', min: 15, max: 1440 } },
    ],
  },
  {
    titleKey: 'settings.groups.advanced',
    fields: [{ key: 'log.level', control: { kind: 'select', options: ['debug', 'info', 'warn', 'error'], optionPrefix: 'settings.values.' } }],
  },
];
