import { z } from 'zod';
import { DEFAULT_HEADER_MAPPINGS, SCREEN_POP_TRIGGERS, headerMappingSchema } from '../customer/screenPop';
import { AUDIO_CODECS, DEFAULT_CODEC_ORDER } from '../phone/codecOrder';
import { DEFAULT_NOT_READY_REASONS, NOT_READY_INBOUND, notReadyReasonSchema } from '../agent/state';
import { DEFAULT_DISPOSITIONS, WRAPUP_MODES, dispositionCodeSchema, dispositionGroupsSchema } from '../agent/wrapup';
import { DEFAULT_SLA_RULES, slaRuleSchema, ticketCategorySchema } from '../ticket/ticket';

/**
 * Every user-visible setting, with its schema and built-in default. The configuration layers
 * (defaults < system policy < user settings < environment) all speak these keys.
 */

/** Languages the UI ships in; `system` follows the OS locale. */
export const LANGUAGES = ['zh-CN', 'en-US'] as const;
/** A supported UI language. */
export type Language = (typeof LANGUAGES)[number];

const isoCountry = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166 country code such as CN or US');

const sipUri = z
  .string()
  .trim()
  .refine((v) => v === '' || /^sips?:[^\s@]+@[^\s@]+$/i.test(v), 'must be empty or a SIP URI such as sip:1001@pbx.example');

const sipServer = z
  .string()
  .trim()
  .refine((v) => v === '' || /^wss?:\/\/[^\s/]+/i.test(v), 'must be empty or a ws:// or wss:// URL');

const iceServer = z.object({
  urls: z.union([z.string().regex(/^(stun|stuns|turn|turns):/i, 'must be a stun: or turn: URL'), z.array(z.string().regex(/^(stun|stuns|turn|turns):/i, 'must be a stun: or turn: URL')).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'must be a SIP header name such as X-Queue');

const serverUrl = z
  .string()
  .trim()
  .refine((v) => v === '' || /^https?:\/\/[^\s/]+/i.test(v), 'must be empty or an http(s) URL');

/** Update channels: `stable` takes releases only, `beta` pre-releases too. */
export const UPDATE_CHANNELS = ['stable', 'beta'] as const;

const versionOrEmpty = z
  .string()
  .trim()
  .refine((v) => v === '' || /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(v), 'must be empty or a version such as 1.4.0');

/** Schemas of every setting, by key. */
export const SETTING_SCHEMAS = {
  'ui.language': z.enum(['system', ...LANGUAGES]),
  'ui.theme': z.enum(['light', 'dark']),
  'ui.compact': z.boolean(),
  'phone.defaultCountry': isoCountry,
  'server.url': serverUrl,
  'server.retryMaxSeconds': z.number().int().min(1).max(600),
  'log.level': z.enum(['debug', 'info', 'warn', 'error']),
  'update.enabled': z.boolean(),
  'update.url': serverUrl,
  'update.channel': z.enum(UPDATE_CHANNELS),
  'update.maxVersion': versionOrEmpty,
  'update.pinnedVersion': versionOrEmpty,
  'update.rolloutPercent': z.number().int().min(0).max(100),
  'update.maxPostpones': z.number().int().min(0).max(20),
  'update.checkIntervalMinutes': z.number().int().min(15).max(1440),
  'sip.uri': sipUri,
  'sip.authUser': z.string().trim().max(128),
  'sip.server': sipServer,
  'sip.displayName': z.string().max(128),
  'sip.registerExpires': z.number().int().min(10).max(3600),
  'sip.iceServers': z.array(iceServer).max(10),
  'sip.tlsCaFile': z.string().trim().max(1024).refine((v) => v === '' || /^(\/|[A-Za-z]:[\\/])/.test(v), 'must be empty or an absolute path to a PEM file'),
  'sip.dtmfMethod': z.enum(['rfc4733', 'info']),
  'sip.autoAnswer.enabled': z.boolean(),
  'sip.autoAnswer.delaySeconds': z.number().int().min(0).max(60),
  'sip.autoAnswer.honourCallInfo': z.boolean(),
  'sip.doNotDisturb': z.boolean(),
  'sip.rejectCode': z.union([z.literal(486), z.literal(603)]),
  'sip.ringTimeoutSeconds': z.number().int().min(5).max(600),
  'sip.mediaTimeoutSeconds': z.number().int().min(5).max(600),
  'sip.mappedHeaders': z.array(headerName).max(32),
  'cti.enabled': z.boolean(),
  'cti.port': z.number().int().min(0).max(65535),
  'media.codecOrder': z
    .array(z.enum(AUDIO_CODECS))
    .min(1)
    .max(AUDIO_CODECS.length)
    .refine((v) => new Set(v).size === v.length, 'each codec at most once'),
  'media.microphone': z.string().max(256),
  'media.speaker': z.string().max(256),
  'media.ringer': z.string().max(256),
  'monitoring.showIndicator': z.boolean(),
  'monitoring.serverKey': z.string().trim().max(200).refine((v) => v === '' || /^[A-Za-z0-9+/]{43}=?$/.test(v), 'must be empty or the server\'s Ed25519 public key (32 bytes, base64)'),
  'phone.pbxPrefixes': z.array(z.string().regex(/^\d{1,4}$/, 'must be 1 to 4 digits such as 9')).max(5),
  'customer.dormantDays': z.number().int().min(1).max(3650),
  'screenPop.trigger': z.enum(SCREEN_POP_TRIGGERS),
  'screenPop.headerMappings': z.array(headerMappingSchema).max(32),
  'agent.id': z.string().trim().max(100),
  'agent.notReadyReasons': z.array(notReadyReasonSchema).min(1).max(30),
  'agent.missedRingNotReady': z.boolean(),
  'agent.notReadyInbound': z.enum(NOT_READY_INBOUND),
  'agent.queueHeader': z.string().regex(/^$|^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'must be empty or a SIP header name such as X-Queue'),
  'wrapup.mode': z.enum(WRAPUP_MODES),
  'wrapup.seconds': z.number().int().min(5).max(3600),
  'wrapup.extendSeconds': z.number().int().min(5).max(3600),
  'wrapup.dispositions': dispositionGroupsSchema,
  'wrapup.defaultDisposition': dispositionCodeSchema,
  'wrapup.dispositionRequired': z.boolean(),
  'wrapup.notesRequired': z.boolean(),
  'tickets.slaRules': z.array(slaRuleSchema).max(100),
  'tickets.categories': z.array(ticketCategorySchema).max(100),
  'tickets.requireResolution': z.boolean(),
  'tickets.requireSatisfaction': z.boolean(),
} as const;

/** A setting key. */
export type SettingKey = keyof typeof SETTING_SCHEMAS;
/** The value type of one setting. */
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTING_SCHEMAS)[K]>;
/** All settings with their values. */
export type SettingsValues = { [K in SettingKey]: SettingValue<K> };

/** Built-in defaults: what the app runs on with no configuration at all. */
export const SETTING_DEFAULTS: SettingsValues = {
  'ui.language': 'system',
  'ui.theme': 'light',
  'ui.compact': true,
  'phone.defaultCountry': 'CN',
  'server.url': '',
  'server.retryMaxSeconds': 30,
  'log.level': 'info',
  'update.enabled': true,
  'update.url': '',
  'update.channel': 'stable',
  'update.maxVersion': '',
  'update.pinnedVersion': '',
  'update.rolloutPercent': 100,
  'update.maxPostpones': 3,
  'update.checkIntervalMinutes': 240,
  'sip.uri': '',
  'sip.authUser': '',
  'sip.server': '',
  'sip.displayName': '',
  'sip.registerExpires': 600,
  'sip.iceServers': [],
  'sip.tlsCaFile': '',
  'sip.dtmfMethod': 'rfc4733',
  'sip.autoAnswer.enabled': false,
  'sip.autoAnswer.delaySeconds': 0,
  'sip.autoAnswer.honourCallInfo': true,
  'sip.doNotDisturb': false,
  'sip.rejectCode': 486,
  'sip.ringTimeoutSeconds': 30,
  'sip.mediaTimeoutSeconds': 30,
  'sip.mappedHeaders': ['X-Queue', 'X-Account', 'X-IVR-Path'],
  'cti.enabled': false,
  'cti.port': 17900,
  'media.codecOrder': DEFAULT_CODEC_ORDER,
  'media.microphone': '',
  'media.speaker': '',
  'media.ringer': '',
  'monitoring.showIndicator': true,
  'monitoring.serverKey': '',
  'phone.pbxPrefixes': [],
  'customer.dormantDays': 90,
  'screenPop.trigger': 'ring',
  'screenPop.headerMappings': DEFAULT_HEADER_MAPPINGS,
  'agent.id': '',
  'agent.notReadyReasons': DEFAULT_NOT_READY_REASONS,
  'agent.missedRingNotReady': true,
  'agent.notReadyInbound': 'keep-ringing',
  'agent.queueHeader': 'X-Queue',
  'wrapup.mode': 'time-boxed',
  'wrapup.seconds': 60,
  'wrapup.extendSeconds': 30,
  'wrapup.dispositions': DEFAULT_DISPOSITIONS,
  'wrapup.defaultDisposition': 'no-action',
  'wrapup.dispositionRequired': true,
  'wrapup.notesRequired': false,
  'tickets.slaRules': DEFAULT_SLA_RULES,
  'tickets.categories': ['billing', 'technical', 'delivery', 'account', 'product', 'other'],
  'tickets.requireResolution': true,
  'tickets.requireSatisfaction': true,
};

/** All setting keys in display order. */
export const SETTING_KEYS = Object.keys(SETTING_SCHEMAS) as SettingKey[];

/** Type guard for setting keys coming from untrusted input. */
export function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(SETTING_SCHEMAS, key);
}

/** Where an effective setting value came from. */
export const SETTING_SOURCES = ['default', 'server', 'policy', 'user', 'env'] as const;
/** The layer an effective value came from. */
export type SettingSource = (typeof SETTING_SOURCES)[number];

/** Schema of one effective setting as the UI sees it. */
export const settingEntrySchema = z.object({
  key: z.string(),
  value: z.unknown(),
  source: z.enum(SETTING_SOURCES),
  locked: z.boolean(),
  /** Why the configured value was not used (invalid in the policy or the environment). */
  problem: z.string().optional(),
});
/** One effective setting. `locked` means the system policy (or the central server) fixes it. */
export type SettingEntry = z.infer<typeof settingEntrySchema>;

/**
 * Schema of a configuration problem: a policy or environment value that could not be used. The app
 * still starts; the key falls back (a policy key stays locked, at its default).
 */
export const configProblemSchema = z.object({
  /** The policy file or environment variable it came from. */
  origin: z.string(),
  key: z.string().optional(),
  message: z.string(),
});
/** A configuration problem shown in Settings and written to the log. */
export type ConfigProblem = z.infer<typeof configProblemSchema>;

/** Schema of the settings snapshot. */
export const settingsSnapshotSchema = z.object({
  entries: z.array(settingEntrySchema),
  revision: z.number().int().nonnegative(),
  /** Problems found reading the policy and the environment (absent when none). */
  problems: z.array(configProblemSchema).optional(),
});
/** All effective settings. */
export type SettingsSnapshot = z.infer<typeof settingsSnapshotSchema>;

/** Reads a typed value out of a snapshot. */
export function settingValue<K extends SettingKey>(snapshot: SettingsSnapshot, key: K): SettingValue<K> {
  const entry = snapshot.entries.find((e) => e.key === key);
  return (entry ? entry.value : SETTING_DEFAULTS[key]) as SettingValue<K>;
}

/** Environment variable that overrides a setting: `ui.language` -> `CALLDESK_UI_LANGUAGE`. */
export function settingEnvName(key: SettingKey): string {
  return `CALLDESK_${key.replace(/[.]/g, '_').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}
