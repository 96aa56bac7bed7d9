import { assertNever } from '../api/result';
import { CSV_FIELDS, type CsvField, type CsvMapping } from './csv';
import {
  CREDIT_RATINGS,
  CUSTOMER_LEVELS,
  CUSTOMER_SOURCES,
  CUSTOMER_STATUSES,
  CUSTOMER_TYPES,
  LIFECYCLE_STAGES,
  type CustomerSaveInput,
  type PhoneLabel,
} from './schema';

/**
 * CSV rows to customers, the same on the desktop (import dialog) and the central server (admin
 * import): header-to-field mapping (English and Chinese headers, the export's own names) and cell
 * conversion (Chinese and English enum names, yes/no, dates, amounts) with a reason per bad cell.
 */

const HEADER_ALIASES: Record<CsvField, string[]> = {
  code: ['code', 'customercode', 'customerid', 'customerno', 'clientid', '客户编号', '客户编码', '编号', '客户代码', '客户号'],
  name: ['name', 'customername', 'fullname', 'contactname', '姓名', '客户名称', '客户姓名', '名称', '联系人', '客户'],
  company: ['company', 'companyname', 'organisation', 'organization', 'employer', '公司', '公司名称', '单位', '工作单位', '企业名称'],
  type: ['type', 'customertype', '类型', '客户类型'],
  status: ['status', 'customerstatus', '状态', '客户状态'],
  level: ['level', 'tier', 'grade', '等级', '客户等级', '级别', '会员等级'],
  source: ['source', 'leadsource', '来源', '客户来源'],
  creditRating: ['creditrating', 'credit', '信用等级', '信用评级', '信用'],
  points: ['points', 'loyaltypoints', '积分'],
  ownerId: ['owner', 'ownerid', 'agent', 'assignedto', '负责人', '归属坐席', '所属坐席', '坐席', '客户经理'],
  tags: ['tags', 'tag', 'labels', '标签'],
  birthday: ['birthday', 'dateofbirth', 'dob', 'birthdate', '生日', '出生日期'],
  preferredLanguage: ['language', 'preferredlanguage', 'lang', '语言', '首选语言'],
  preferences: ['preferences', 'preference', '偏好', '客户偏好'],
  notes: ['notes', 'note', 'remarks', 'remark', 'comment', 'comments', '备注', '说明'],
  allowCall: ['allowcall', 'cancall', 'callallowed', '允许电话', '可致电', '允许致电'],
  allowSms: ['allowsms', 'cansms', 'smsallowed', '允许短信', '可发短信'],
  allowEmail: ['allowemail', 'canemail', 'emailallowed', '允许邮件', '可发邮件'],
  lifetimeValue: ['lifetimevalue', 'ltv', 'clv', 'customervalue', '客户价值', '生命周期价值', '累计消费'],
  lifecycleStage: ['lifecyclestage', 'lifecycle', 'stage', '生命周期', '生命周期阶段', '客户阶段'],
  lastContactAt: ['lastcontact', 'lastcontactat', 'lastcontacted', 'lastcontactdate', '最后联系时间', '最近联系时间', '最近联系'],
  mobile: ['mobile', 'mobilephone', 'cell', 'cellphone', '手机', '手机号', '手机号码', '移动电话'],
  workPhone: ['phone', 'telephone', 'tel', 'workphone', 'officephone', 'businessphone', '电话', '办公电话', '座机', '联系电话', '固话', '电话号码'],
  homePhone: ['homephone', '家庭电话', '住宅电话'],
  fax: ['fax', 'faxnumber', '传真'],
  otherPhone: ['otherphone', 'phone2', 'altphone', '其他电话', '备用电话'],
  email: ['email', 'emailaddress', 'mail', '邮箱', '电子邮件', '电子邮箱', '邮件'],
  addressLine1: ['address', 'addressline1', 'street', 'address1', '地址', '详细地址', '街道'],
  addressLine2: ['addressline2', 'address2', '地址2'],
  city: ['city', 'town', '城市', '市'],
  region: ['region', 'state', 'province', 'county', '省份', '省', '地区'],
  postalCode: ['postalcode', 'postcode', 'zip', 'zipcode', '邮编', '邮政编码'],
  country: ['country', 'countrycode', '国家', '国家代码'],
};

const ALIAS_INDEX = new Map<string, CsvField>();
for (const field of CSV_FIELDS) {
  ALIAS_INDEX.set(field.toLowerCase(), field);
  for (const alias of HEADER_ALIASES[field]) ALIAS_INDEX.set(alias, field);
}

function headerKey(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(/[\s_\-./()（）:：*]/g, '');
}

/**
 * Suggests a field for every header (English and Chinese names, the export's own headers); unknown
 * headers map to null. Single-valued fields are given to the first matching column only.
 */
export function suggestMapping(headers: readonly string[]): CsvMapping {
  const mapping: CsvMapping = {};
  const taken = new Set<CsvField>();
  for (const header of headers) {
    const field = ALIAS_INDEX.get(headerKey(header)) ?? null;
    if (field && !MULTI_FIELDS.has(field) && taken.has(field)) {
      mapping[header] = null;
      continue;
    }
    if (field) taken.add(field);
    mapping[header] = field;
  }
  return mapping;
}

const MULTI_FIELDS = new Set<CsvField>(['mobile', 'workPhone', 'homePhone', 'fax', 'otherPhone', 'email', 'tags', 'notes']);
const PHONE_FIELDS: Partial<Record<CsvField, PhoneLabel>> = { mobile: 'mobile', workPhone: 'work', homePhone: 'home', fax: 'fax', otherPhone: 'other' };

function aliasEnum<T extends string>(values: readonly T[], aliases: Record<string, T>): (cell: string) => T | undefined {
  const index = new Map<string, T>();
  for (const v of values) index.set(v.toLowerCase(), v);
  for (const [alias, v] of Object.entries(aliases)) index.set(alias.toLowerCase(), v);
  return (cell) => index.get(cell.trim().toLowerCase().replace(/[\s_]+/g, '-'));
}

const readStatus = aliasEnum(CUSTOMER_STATUSES, {
  潜在: 'potential',
  潜在客户: 'potential',
  意向: 'intent',
  意向客户: 'intent',
  'following up': 'following-up',
  followup: 'following-up',
  跟进: 'following-up',
  跟进中: 'following-up',
  签约: 'contracted',
  已签约: 'contracted',
  成交: 'contracted',
  无效: 'invalid',
});
const readType = aliasEnum(CUSTOMER_TYPES, { 个人: 'person', individual: 'person', 公司: 'company', 企业: 'company', organisation: 'company', organization: 'company' });
const readLevel = aliasEnum(CUSTOMER_LEVELS, { 普通: 'standard', 标准: 'standard', 白银: 'silver', 银卡: 'silver', 黄金: 'gold', 金卡: 'gold', 铂金: 'platinum', 白金: 'platinum', 贵宾: 'vip' });
const readSource = aliasEnum(CUSTOMER_SOURCES, {
  来电: 'inbound-call',
  呼入: 'inbound-call',
  外呼: 'outbound-call',
  去电: 'outbound-call',
  网站: 'website',
  官网: 'website',
  转介绍: 'referral',
  推荐: 'referral',
  活动: 'event',
  展会: 'event',
  广告: 'advertising',
  导入: 'import',
  其他: 'other',
});
const readStage = aliasEnum(LIFECYCLE_STAGES, { 获客: 'acquisition', 获取期: 'acquisition', 成长期: 'growth', 成熟期: 'maturity', 衰退期: 'decline', 流失: 'lapsed', 流失期: 'lapsed' });
const readCredit = aliasEnum(CREDIT_RATINGS, {});

function readBool(cell: string): boolean | undefined {
  const v = cell.trim().toLowerCase();
  if (['1', 'true', 'yes', 'y', '是', '允许', '可以', 'x', '✓'].includes(v)) return true;
  if (['0', 'false', 'no', 'n', '否', '不允许', '禁止', '不可以'].includes(v)) return false;
  return undefined;
}

/** `1990-05-06`, `1990/5/6`, `1990.05.06`, `1990年5月6日`, `05-06` -> `1990-05-06` / `--05-06`. */
function readBirthday(cell: string): string | undefined {
  const v = cell.trim();
  const full = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(v);
  if (full) return `${full[1]}-${full[2]!.padStart(2, '0')}-${full[3]!.padStart(2, '0')}`;
  const noYear = /^(?:--)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(v);
  if (noYear) return `--${noYear[1]!.padStart(2, '0')}-${noYear[2]!.padStart(2, '0')}`;
  return undefined;
}

/** ISO date or date-time (local time when no zone), or epoch milliseconds. */
function readTime(cell: string): number | undefined {
  const v = cell.trim();
  if (/^\d{12,14}$/.test(v)) return Number(v);
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const pad = (x: string) => x.padStart(2, '0');
  const iso = `${y}-${pad(mo!)}-${pad(d!)}T${pad(h)}:${mi}:${pad(s)}${frac}${zone ? (zone === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : ''}`;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

function readNumber(cell: string): number | undefined {
  const v = cell.trim().replace(/[,\s¥$€£￥]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(v)) return undefined;
  return Number(v);
}

/** Cells may start with `'` to stop spreadsheets evaluating them (our export does that). */
function unguard(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

const LIST_SEPARATORS = /[;|,，；、\n]+/;

/**
 * Turns one CSV row into a customer save input using the mapping. Cells that cannot be read give a
 * reason naming the column and the value; empty cells leave the field unset.
 */
export function rowToCustomer(headers: readonly string[], cells: readonly string[], mapping: CsvMapping): { input: Partial<CustomerSaveInput>; reasons: string[]; has: Set<CsvField> } {
  const input: Record<string, unknown> = {};
  const phones: Array<{ raw: string; label: PhoneLabel }> = [];
  const emails: Array<{ address: string }> = [];
  const address: Record<string, string> = {};
  const permissions: Record<string, boolean> = {};
  const tags: string[] = [];
  const notes: string[] = [];
  const reasons: string[] = [];
  const has = new Set<CsvField>();
  headers.forEach((header, i) => {
    const field = mapping[header];
    if (!field) return;
    const cell = unguard((cells[i] ?? '').trim());
    if (cell === '') return;
    has.add(field);
    const bad = (what: string) => reasons.push(`${header}: "${cell.slice(0, 60)}" ${what}`);
    const set = <T>(value: T | undefined, what: string) => (value === undefined ? bad(what) : (input[field] = value));
    switch (field) {
      case 'code':
      case 'name':
      case 'company':
      case 'ownerId':
      case 'preferences':
        input[field] = cell;
        break;
      case 'preferredLanguage':
        input[field] = cell.replace('_', '-');
        break;
      case 'notes':
        notes.push(cell);
        break;
      case 'type':
        set(readType(cell), `is not a customer type (${CUSTOMER_TYPES.join(', ')})`);
        break;
      case 'status':
        set(readStatus(cell), `is not a status (${CUSTOMER_STATUSES.join(', ')})`);
        break;
      case 'level':
        set(readLevel(cell), `is not a level (${CUSTOMER_LEVELS.join(', ')})`);
        break;
      case 'source':
        set(readSource(cell), `is not a source (${CUSTOMER_SOURCES.join(', ')})`);
        break;
      case 'creditRating':
        set(readCredit(cell.toUpperCase()), `is not a credit rating (${CREDIT_RATINGS.join(', ')})`);
        break;
      case 'lifecycleStage':
        set(readStage(cell), `is not a lifecycle stage (${LIFECYCLE_STAGES.join(', ')})`);
        break;
      case 'points':
      case 'lifetimeValue':
        set(readNumber(cell), 'is not a number');
        break;
      case 'birthday':
        set(readBirthday(cell), 'is not a date (YYYY-MM-DD)');
        break;
      case 'lastContactAt':
        set(readTime(cell), 'is not a date or time (YYYY-MM-DD HH:mm)');
        break;
      case 'allowCall':
      case 'allowSms':
      case 'allowEmail': {
        const b = readBool(cell);
        if (b === undefined) bad('is not yes/no');
        else permissions[field === 'allowCall' ? 'call' : field === 'allowSms' ? 'sms' : 'email'] = b;
        break;
      }
      case 'tags':
        tags.push(...cell.split(LIST_SEPARATORS).map((t) => t.trim()).filter((t) => t !== ''));
        break;
      case 'mobile':
      case 'workPhone':
      case 'homePhone':
      case 'fax':
      case 'otherPhone':
        for (const raw of cell.split(/[;|，；、\n]+|\s\/\s/)) {
          if (raw.trim() !== '') phones.push({ raw: unguard(raw.trim()), label: PHONE_FIELDS[field] ?? 'other' });
        }
        break;
      case 'email':
        for (const a of cell.split(LIST_SEPARATORS)) if (a.trim() !== '') emails.push({ address: a.trim() });
        break;
      case 'addressLine1':
      case 'addressLine2':
      case 'city':
      case 'region':
      case 'postalCode':
      case 'country':
        address[field === 'addressLine1' ? 'line1' : field === 'addressLine2' ? 'line2' : field] = field === 'country' ? cell.toUpperCase() : cell;
        break;
      default:
        assertNever(field, 'CSV field');
    }
  });
  if (phones.length > 0) input.phones = phones;
  if (emails.length > 0) input.emails = emails;
  if (tags.length > 0) input.tags = tags;
  if (notes.length > 0) input.notes = notes.join('\n');
  if (Object.keys(address).length > 0) input.addresses = [{ label: 'work', ...address }];
  if (Object.keys(permissions).length > 0) input.contactPermissions = permissions;
  return { input: input as Partial<CustomerSaveInput>, reasons, has };
}

