import { RESOURCES } from '../../../shared/i18n';
import { LANGUAGES, SETTING_DEFAULTS, SETTING_KEYS, SETTING_SCHEMAS, settingEnvName, type Language, type SettingKey } from '../../../shared/settings/definitions';
import { MANAGED_PREFERENCES_DOMAIN, REGISTRY_POLICY_KEY } from './osPolicy';

/**
 * IT's policy documents, generated from the settings definitions so they never drift from the code:
 * the Group Policy template (ADMX + one ADML per UI language) and the policy keys table of
 * docs/IT.md. `npm run policy:templates` writes them; a test fails when the committed files are stale.
 */

/** How a setting is represented in Group Policy, macOS profiles and the policy file. */
export interface PolicyKind {
  /** What the table shows: text, yes/no, a number range, one of a list, or JSON. */
  kind: 'text' | 'boolean' | 'number' | 'choice' | 'json';
  options?: readonly (string | number)[];
  min?: number;
  max?: number;
}

interface SchemaShape {
  def: { type: string; options?: readonly unknown[]; values?: readonly unknown[] };
  options?: readonly (string | number)[];
  minValue?: number | null;
  maxValue?: number | null;
}

/** The policy representation of one setting, read from its zod schema. */
export function policyKind(key: SettingKey): PolicyKind {
  const schema = SETTING_SCHEMAS[key] as unknown as SchemaShape;
  switch (schema.def.type) {
    case 'boolean':
      return { kind: 'boolean' };
    case 'number':
      return { kind: 'number', ...(schema.minValue != null ? { min: schema.minValue } : {}), ...(schema.maxValue != null ? { max: schema.maxValue } : {}) };
    case 'enum':
      return { kind: 'choice', options: schema.options ?? [] };
    case 'union': {
      const literals = (schema.def.options ?? []).map((o) => (o as { def: { values?: readonly unknown[] } }).def.values?.[0]);
      if (literals.every((v) => typeof v === 'number' || typeof v === 'string')) return { kind: 'choice', options: literals as (string | number)[] };
      return { kind: 'json' };
    }
    case 'string':
      return { kind: 'text' };
    default:
      return { kind: 'json' };
  }
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A policy name valid in ADMX (letters, digits, underscores). */
function policyName(key: SettingKey): string {
  return key.replace(/[^A-Za-z0-9]/g, '_');
}

function registryKeyPath(): string {
  return REGISTRY_POLICY_KEY.replace(/^HKLM\\/, '');
}

function element(key: SettingKey): string {
  const k = policyKind(key);
  const id = `${policyName(key)}_value`;
  switch (k.kind) {
    case 'boolean':
      return `<boolean id="${id}" valueName="${key}"><trueValue><decimal value="1" /></trueValue><falseValue><decimal value="0" /></falseValue></boolean>`;
    case 'number':
      return `<decimal id="${id}" valueName="${key}"${k.min !== undefined ? ` minValue="${k.min}"` : ''}${k.max !== undefined ? ` maxValue="${k.max}"` : ''} />`;
    case 'choice':
      return `<enum id="${id}" valueName="${key}">${k
        .options!.map((o, i) => `<item displayName="$(string.${policyName(key)}_${i})"><value>${typeof o === 'number' ? `<decimal value="${o}" />` : `<string>${xml(o)}</string>`}</value></item>`)
        .join('')}</enum>`;
    default:
      return `<text id="${id}" valueName="${key}" maxLength="32767" />`;
  }
}

/** The Group Policy template (ADMX): one machine policy per setting under HKLM\Software\Policies\CallDesk. */
export function admx(): string {
  const policies = SETTING_KEYS.map(
    (key) =>
      `    <policy name="${policyName(key)}" class="Machine" displayName="$(string.${policyName(key)})" explainText="$(string.${policyName(key)}_help)" presentation="$(presentation.${policyName(key)})" key="${registryKeyPath()}">\n` +
      `      <parentCategory ref="CallDesk" />\n      <supportedOn ref="SUPPORTED_CallDesk" />\n      <elements>${element(key)}</elements>\n    </policy>`,
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Generated from shared/settings/definitions.ts by `npm run policy:templates`: do not edit. -->',
    '<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
    '  <policyNamespaces><target prefix="calldesk" namespace="CallDesk.Policies.CallDesk" /><using prefix="windows" namespace="Microsoft.Policies.Windows" /></policyNamespaces>',
    '  <resources minRequiredRevision="1.0" />',
    '  <supportedOn><definitions><definition name="SUPPORTED_CallDesk" displayName="$(string.SUPPORTED_CallDesk)" /></definitions></supportedOn>',
    '  <categories><category name="CallDesk" displayName="$(string.CallDesk)" /></categories>',
    '  <policies>',
    ...policies,
    '  </policies>',
    '</policyDefinitions>',
    '',
  ].join('\n');
}

function text(lang: Language, path: string): string {
  let node: unknown = RESOURCES[lang];
  for (const part of path.split('|')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'string' ? node : '';
}

const ADML_WORDS: Record<Language, { product: string; supported: string; json: string; envHint: string }> = {
  'en-US': { product: 'CallDesk', supported: 'CallDesk 0.1 and later', json: 'Value: JSON text, as in the policy file.', envHint: 'Setting key' },
  'zh-CN': { product: 'CallDesk', supported: 'CallDesk 0.1 及更高版本', json: '取值：JSON 文本，与策略文件中相同。', envHint: '设置键' },
};

/** The language resources (ADML) of the template, in one UI language. */
export function adml(lang: Language): string {
  const w = ADML_WORDS[lang];
  const strings: string[] = [`      <string id="CallDesk">${w.product}</string>`, `      <string id="SUPPORTED_CallDesk">${xml(w.supported)}</string>`];
  const presentations: string[] = [];
  for (const key of SETTING_KEYS) {
    const name = policyName(key);
    const label = text(lang, `settings|keys|${key}`) || key;
    const kind = policyKind(key);
    const help = [text(lang, `settings|help|${key}`), `${w.envHint}: ${key}`, kind.kind === 'json' ? w.json : ''].filter(Boolean).join('\n\n');
    strings.push(`      <string id="${name}">${xml(label)}</string>`, `      <string id="${name}_help">${xml(help)}</string>`);
    kind.options?.forEach((o, i) => strings.push(`      <string id="${name}_${i}">${xml(String(o))}</string>`));
    const id = `${name}_value`;
    const control =
      kind.kind === 'boolean'
        ? `<checkBox refId="${id}">${xml(label)}</checkBox>`
        : kind.kind === 'number'
          ? `<decimalTextBox refId="${id}">${xml(label)}</decimalTextBox>`
          : kind.kind === 'choice'
            ? `<dropdownList refId="${id}">${xml(label)}</dropdownList>`
            : `<textBox refId="${id}"><label>${xml(label)}</label></textBox>`;
    presentations.push(`      <presentation id="${name}">${control}</presentation>`);
  }
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Generated from shared/settings/definitions.ts and the UI texts by `npm run policy:templates`: do not edit. -->',
    '<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
    `  <displayName>${w.product}</displayName>`,
    '  <description />',
    '  <resources>',
    '    <stringTable>',
    ...strings,
    '    </stringTable>',
    '    <presentationTable>',
    ...presentations,
    '    </presentationTable>',
    '  </resources>',
    '</policyDefinitionResources>',
    '',
  ].join('\n');
}

function describeKind(k: PolicyKind): string {
  switch (k.kind) {
    case 'boolean':
      return 'true / false (registry: DWORD 1 / 0)';
    case 'number':
      return `integer${k.min !== undefined ? ` ${k.min}` : ''}${k.max !== undefined ? `–${k.max}` : ''} (registry: DWORD)`;
    case 'choice':
      return `one of ${k.options!.map((o) => `\`${o}\``).join(', ')}`;
    case 'text':
      return 'text (registry: String)';
    default:
      return 'JSON (registry: String holding JSON)';
  }
}

/** The policy keys table (Markdown) for docs/IT.md: every key, its type, default and environment variable. */
export function policyKeysMarkdown(): string {
  const rows = SETTING_KEYS.map((key) => {
    const def = JSON.stringify(SETTING_DEFAULTS[key]);
    const shownDefault = def.length > 40 ? `${def.slice(0, 37)}…` : def;
    return `| \`${key}\` | ${text('en-US', `settings|keys|${key}`)} | ${describeKind(policyKind(key))} | \`${shownDefault.replace(/\|/g, '\\|')}\` | \`${settingEnvName(key)}\` |`;
  });
  return [
    '<!-- Generated from shared/settings/definitions.ts by `npm run policy:templates`: do not edit by hand. -->',
    `Policy sources, each locking the keys it sets: the policy file; on Windows also Group Policy (registry \`${REGISTRY_POLICY_KEY}\`, template in \`resources/policy/windows\`); on macOS also configuration profiles (domain \`${MANAGED_PREFERENCES_DOMAIN}\`). Languages of the template: ${LANGUAGES.join(', ')}.`,
    '',
    '| Key | Setting | Value | Default | Environment variable |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** Every generated file, by path from the repository root. */
export function policyTemplateFiles(): Record<string, string> {
  const files: Record<string, string> = { 'resources/policy/windows/CallDesk.admx': admx(), 'docs/policy-keys.md': policyKeysMarkdown() };
  for (const lang of LANGUAGES) files[`resources/policy/windows/${lang}/CallDesk.adml`] = adml(lang);
  return files;
}
