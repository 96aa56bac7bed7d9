import type { SettingKey } from '../../../shared/settings/definitions';

/** How one setting is edited on the Settings page. */
export type SettingControl =
  | { kind: 'select'; options: readonly string[]; optionPrefix: string }
  | { kind: 'switch' }
  | { kind: 'text'; placeholder?: string };

/** A group of settings on the page. */
export interface SettingGroup {
  titleKey: string;
  fields: { key: SettingKey; control: SettingControl }[];
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
    titleKey: 'settings.groups.phone',
    fields: [{ key: 'phone.defaultCountry', control: { kind: 'select', options: COUNTRY_OPTIONS, optionPrefix: 'settings.countries.' } }],
  },
  {
    titleKey: 'settings.groups.server',
    fields: [{ key: 'server.url', control: { kind: 'text', placeholder: 'https://calldesk.example.com' } }],
  },
  {
    titleKey: 'settings.groups.advanced',
    fields: [{ key: 'log.level', control: { kind: 'select', options: ['debug', 'info', 'warn', 'error'], optionPrefix: 'settings.values.' } }],
  },
];
