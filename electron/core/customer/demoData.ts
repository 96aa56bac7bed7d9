import {
  CREDIT_RATINGS,
  CUSTOMER_SOURCES,
  LIFECYCLE_STAGES,
  type CustomerLevel,
  type CustomerSaveInput,
  type CustomerStatus,
} from '../../../shared/customer/schema';
import { DAY_MS } from '../../../shared/customer/helpers';
import { AppError } from '../../../shared/api/result';
import type { CustomerService } from './customerService';
import { namePinyin } from './pinyin';

/**
 * Demo and benchmark data: realistic Chinese and English customers whose phone numbers are written
 * in the many ways real CRMs hold them (spaces, dashes, brackets, +86, 0086, area codes,
 * extensions). Deterministic: the same seed gives the same customers, on every machine. Numbers
 * assume the default region CN (Chinese numbers often national, foreign ones international).
 */

/** A small fast deterministic PRNG (mulberry32). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Surnames roughly by frequency (the first ones repeat so they are drawn more often).
const CN_SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '王', '李', '张', '刘', '陈',
  '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐',
  '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
  '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟',
  '谭', '陆', '汪', '范', '金', '石', '廖', '贾', '夏', '韦', '付', '方', '白', '邹', '孟',
  '熊', '秦', '邱', '江', '尹', '薛', '闫', '段', '雷', '侯', '龙', '史', '陶', '黎', '贺',
  '单', '欧阳', '司马', '上官', '诸葛', '东方', '令狐', '慕容',
];
const CN_GIVEN = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平',
  '刚', '桂', '英', '华', '玉', '兰', '萍', '红', '鹏', '辉', '建', '国', '文', '斌', '宇', '浩', '凯', '欣', '怡', '婷',
  '雪', '琳', '晨', '阳', '博', '飞', '鑫', '波', '宁', '丹', '倩', '颖', '佳', '俊', '帅', '晓', '思', '嘉', '梓', '子',
  '涵', '轩', '睿', '泽', '一', '诺', '可', '雨', '欢', '乐', '志', '海', '峰', '林', '春', '梅', '东', '亮', '成', '龙',
];
const EN_FIRST = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Daniel', 'Nancy', 'Matthew', 'Lisa',
  'Anthony', 'Betty', 'Mark', 'Margaret', 'Oliver', 'Emily', 'George', 'Sophie', 'Harry', 'Charlotte', 'Jack', 'Amelia',
  'Noah', 'Olivia', 'Liam', 'Emma', 'Lucas', 'Chloé', 'Zoë', 'Seán', 'Siobhan', 'Aoife', 'Niamh', 'Rhys',
];
const EN_LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Wilson', 'Anderson',
  'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker',
  'Hall', 'Young', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Evans', 'Roberts', 'Turner', 'Phillips',
  "O'Brien", "O'Connor", 'McDonald', 'Fitzgerald', 'Müller', 'Dubois', 'Nguyen', 'Kim', 'Patel', 'Chen', 'Wong', 'Lam',
];
const CN_CITIES = [
  { city: '北京', area: '10', region: '北京市' },
  { city: '上海', area: '21', region: '上海市' },
  { city: '广州', area: '20', region: '广东省' },
  { city: '深圳', area: '755', region: '广东省' },
  { city: '杭州', area: '571', region: '浙江省' },
  { city: '成都', area: '28', region: '四川省' },
  { city: '武汉', area: '27', region: '湖北省' },
  { city: '南京', area: '25', region: '江苏省' },
  { city: '西安', area: '29', region: '陕西省' },
  { city: '苏州', area: '512', region: '江苏省' },
  { city: '重庆', area: '23', region: '重庆市' },
  { city: '天津', area: '22', region: '天津市' },
];
const CN_BRANDS = ['腾飞', '华信', '星河', '云端', '恒通', '金桥', '鼎盛', '瑞丰', '远航', '新锐', '万达', '正泰', '博雅', '宏图', '天成', '汇丰源'];
const CN_TRADES = ['科技', '贸易', '物流', '电子', '建材', '餐饮管理', '文化传媒', '医疗器械', '信息技术', '食品', '服装', '教育咨询'];
const EN_COMPANY = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Cyberdyne', 'Tyrell', 'Wonka'];
const EN_SUFFIX = ['Ltd', 'Inc.', 'LLC', 'Group', '& Co', 'Trading', 'Holdings'];
const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157', '158', '159', '166', '173', '175', '176', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199'];
const US_AREAS = ['212', '213', '312', '415', '617', '646', '702', '718', '202', '305', '404', '512'];
const UK_LANDLINE = [
  { code: '20', digits: 8, lead: '7' },
  { code: '161', digits: 7, lead: '4' },
  { code: '121', digits: 7, lead: '4' },
  { code: '131', digits: 7, lead: '4' },
];
const TAGS = ['VIP', '投诉中', '续约', 'renewal-due', '大客户', '新客户', 'complaint-open', '重点跟进', 'wholesale', '老客户', '回访', 'do-not-disturb'];
const PREFERENCES_CN = ['偏好下午致电', '只接受微信联系', '喜欢详细报价单', '对价格敏感', '周末不要打扰', '需要发票'];
const PREFERENCES_EN = ['Prefers calls after 6pm', 'Email before calling', 'Price sensitive', 'Wants quotes in writing', 'No weekend calls'];
const NOTES_CN = ['上次反馈物流慢', '对新产品有兴趣', '合同将在下月到期', '曾经投诉过售后服务', '推荐了两位朋友'];
const NOTES_EN = ['Asked about the premium plan', 'Contract renews next quarter', 'Complained about late delivery', 'Referred two friends'];
const STATUS_WEIGHTS: Array<[CustomerStatus, number]> = [
  ['potential', 35],
  ['intent', 20],
  ['following-up', 20],
  ['contracted', 20],
  ['invalid', 5],
];
const LEVEL_WEIGHTS: Array<[CustomerLevel, number]> = [
  ['standard', 55],
  ['silver', 20],
  ['gold', 15],
  ['platinum', 7],
  ['vip', 3],
];

/** Options of the generator. */
export interface DemoOptions {
  seed?: number;
  /** "Now" for last-contact times and birthdays (defaults to a fixed date so output is stable). */
  now?: number;
  /** Share of Chinese customers, 0..1 (default 0.75). */
  chineseShare?: number;
  /** Number of agents owners are drawn from (`agent-1` ...). */
  agents?: number;
}

/** Fixed "now" of generated data when none is given: 2026-01-01T00:00:00Z. */
export const DEMO_EPOCH = Date.UTC(2026, 0, 1);

/** Generates customers one by one (an iterator, so 1M rows never sit in memory at once). */
export function* generateDemoCustomers(count: number, options: DemoOptions = {}): Generator<CustomerSaveInput> {
  const rnd = createRandom(options.seed ?? 20261124);
  const now = options.now ?? DEMO_EPOCH;
  const chineseShare = options.chineseShare ?? 0.75;
  const agents = options.agents ?? 50;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const weighted = <T>(list: Array<[T, number]>): T => {
    const total = list.reduce((s, [, w]) => s + w, 0);
    let r = rnd() * total;
    for (const [v, w] of list) {
      r -= w;
      if (r < 0) return v;
    }
    return list[list.length - 1]![0];
  };
  const digits = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(rnd() * 10);
    return s;
  };
  const chance = (p: number) => rnd() < p;

  const cnMobile = (): string => {
    const p = pick(MOBILE_PREFIXES);
    const a = digits(4);
    const b = digits(4);
    switch (Math.floor(rnd() * 8)) {
      case 0:
        return `${p} ${a} ${b}`;
      case 1:
        return `${p}-${a}-${b}`;
      case 2:
        return `+86 ${p} ${a} ${b}`;
      case 3:
        return `+86${p}${a}${b}`;
      case 4:
        return `0086 ${p}${a}${b}`;
      case 5:
        return `(+86) ${p}-${a}-${b}`;
      default:
        return `${p}${a}${b}`;
    }
  };
  const cnLandline = (area: string): string => {
    const local = `${Math.floor(rnd() * 7) + 2}${digits(area.length === 2 ? 7 : 7)}`;
    const a = local.slice(0, 4);
    const b = local.slice(4);
    const ext = chance(0.08) ? pick([`转${digits(3)}`, `-${digits(4)}`, ` ext. ${digits(3)}`]) : '';
    switch (Math.floor(rnd() * 6)) {
      case 0:
        return `0${area}-${a} ${b}${ext}`;
      case 1:
        return `(0${area}) ${local}${ext}`;
      case 2:
        return `+86 ${area} ${a} ${b}${ext}`;
      case 3:
        return `0${area}${local}${ext}`;
      case 4:
        return `+86 (0)${area} ${a}-${b}${ext}`;
      default:
        return `0${area}-${local}${ext}`;
    }
  };
  const usNumber = (): string => {
    const area = pick(US_AREAS);
    const exch = `${Math.floor(rnd() * 8) + 2}${digits(2)}`;
    const line = digits(4);
    const ext = chance(0.05) ? ` x${digits(3)}` : '';
    // International forms only: the demo's default region is CN, where a national US form is ambiguous.
    switch (Math.floor(rnd() * 5)) {
      case 0:
        return `+1 (${area}) ${exch}-${line}${ext}`;
      case 1:
        return `+1 ${area} ${exch} ${line}${ext}`;
      case 2:
        return `+1-${area}-${exch}-${line}${ext}`;
      case 3:
        return `+1.${area}.${exch}.${line}${ext}`;
      default:
        return `001 ${area} ${exch} ${line}`;
    }
  };
  const ukNumber = (): string => {
    if (chance(0.5)) {
      const n = `7${pick(['4', '5', '7', '8', '9'])}${digits(8)}`;
      return pick([`+44 (0)${n.slice(0, 4)} ${n.slice(4)}`, `+44 ${n.slice(0, 4)} ${n.slice(4)}`, `0044 ${n}`]);
    }
    const l = pick(UK_LANDLINE);
    const local = `${l.lead}${digits(l.digits - 1)}`;
    return pick([`00 44 ${l.code} ${local.slice(0, 4)} ${local.slice(4)}`, `+44 (0)${l.code} ${local}`, `+44 ${l.code} ${local}`]);
  };

  for (let i = 1; i <= count; i++) {
    const chinese = rnd() < chineseShare;
    const type = chance(0.15) ? 'company' : 'person';
    let name: string;
    let company: string;
    const phones: Array<{ raw: string; label: 'mobile' | 'work' | 'home' | 'fax' | 'other' }> = [];
    const emails: Array<{ address: string }> = [];
    let language: string;
    let address: { line1: string; city: string; region: string; postalCode: string; country: string };
    if (chinese) {
      const city = pick(CN_CITIES);
      const given = pick(CN_GIVEN) + (chance(0.7) ? pick(CN_GIVEN) : '');
      name = pick(CN_SURNAMES) + given;
      const firm = `${city.city}市${pick(CN_BRANDS)}${pick(CN_TRADES)}有限公司`;
      company = type === 'company' || chance(0.6) ? firm : '';
      if (type === 'company') name = firm;
      if (type === 'person' || chance(0.5)) phones.push({ raw: cnMobile(), label: 'mobile' });
      if (type === 'company' || chance(0.35)) phones.push({ raw: cnLandline(city.area), label: 'work' });
      if (chance(0.05)) phones.push({ raw: cnLandline(city.area), label: 'fax' });
      if (chance(0.55)) {
        const py = namePinyin(name).full.slice(0, 20) || 'kehu';
        emails.push({ address: `${py}${Math.floor(rnd() * 1000)}@${pick(['163.com', 'qq.com', '126.com', 'sina.com', 'foxmail.com'])}` });
      }
      language = chance(0.95) ? 'zh-CN' : 'en-US';
      address = { line1: `${pick(['人民路', '中山路', '解放路', '建设路', '科技园南路'])}${Math.floor(rnd() * 900) + 1}号`, city: city.city, region: city.region, postalCode: digits(6), country: 'CN' };
    } else {
      const uk = chance(0.35);
      const first = pick(EN_FIRST);
      const last = pick(EN_LAST);
      const firm = `${pick(EN_COMPANY)} ${pick(EN_SUFFIX)}`;
      name = type === 'company' ? firm : `${first} ${last}`;
      company = type === 'company' || chance(0.6) ? firm : '';
      phones.push({ raw: uk ? ukNumber() : usNumber(), label: chance(0.6) ? 'mobile' : 'work' });
      if (chance(0.25)) phones.push({ raw: uk ? ukNumber() : usNumber(), label: 'work' });
      if (chance(0.8)) {
        const local = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
        emails.push({ address: `${local}${chance(0.3) ? Math.floor(rnd() * 100) : ''}@${pick(['example.com', 'mail.example.org', 'globex.example', 'acme.example.co.uk'])}` });
      }
      language = uk ? 'en-GB' : 'en-US';
      address = uk
        ? { line1: `${Math.floor(rnd() * 200) + 1} High Street`, city: pick(['London', 'Manchester', 'Birmingham', 'Glasgow']), region: '', postalCode: `EC${Math.floor(rnd() * 4) + 1}A ${digits(1)}BB`, country: 'GB' }
        : { line1: `${Math.floor(rnd() * 9000) + 100} Main St`, city: pick(['New York', 'Los Angeles', 'Chicago', 'San Francisco', 'Boston']), region: pick(['NY', 'CA', 'IL', 'MA']), postalCode: digits(5), country: 'US' };
    }
    const contacted = chance(0.9);
    const birthYear = 1950 + Math.floor(rnd() * 55);
    const month = Math.floor(rnd() * 12) + 1;
    const day = Math.floor(rnd() * 28) + 1;
    const tagCount = chance(0.4) ? Math.floor(rnd() * 3) + 1 : 0;
    const tags: string[] = [];
    for (let t = 0; t < tagCount; t++) tags.push(pick(TAGS));
    yield {
      code: `D${String(i).padStart(7, '0')}`,
      name,
      company,
      type,
      status: weighted(STATUS_WEIGHTS),
      level: weighted(LEVEL_WEIGHTS),
      source: pick(CUSTOMER_SOURCES),
      creditRating: chance(0.7) ? pick(CREDIT_RATINGS) : null,
      points: Math.floor(rnd() * rnd() * 50_000),
      ownerId: chance(0.85) ? `agent-${Math.floor(rnd() * agents) + 1}` : null,
      tags,
      birthday: type === 'person' && chance(0.7) ? `${birthYear}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` : null,
      preferredLanguage: language,
      preferences: chance(0.3) ? pick(chinese ? PREFERENCES_CN : PREFERENCES_EN) : '',
      notes: chance(0.4) ? pick(chinese ? NOTES_CN : NOTES_EN) : '',
      contactPermissions: { call: chance(0.97), sms: chance(0.8), email: chance(0.85) },
      lifetimeValue: Math.round(Math.exp(rnd() * 12) * 100) / 100,
      lifecycleStage: pick(LIFECYCLE_STAGES),
      lastContactAt: contacted ? now - Math.floor(rnd() * rnd() * 730 * DAY_MS) : null,
      phones,
      emails,
      addresses: chance(0.5) ? [{ label: 'work', ...address }] : [],
    };
  }
}

/**
 * Customers with known numbers for the demo and end-to-end tests: one match (张伟 on
 * `0755-8888 1234`, who calls as `+86 755 88881234`; birthday today; VIP, open complaint), two
 * customers sharing `+86 138 0013 8000` (the chooser), an English customer on `+1 212 555 0123`
 * reachable by the `X-Account: US-ACME-01` header.
 */
export function demoShowcase(now: number = Date.now()): CustomerSaveInput[] {
  const today = new Date(now);
  const birthday = `1985-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  return [
    {
      code: 'VIP-0001',
      name: '张伟',
      company: '深圳市腾飞科技有限公司',
      status: 'contracted',
      level: 'vip',
      source: 'referral',
      creditRating: 'AAA',
      points: 12800,
      ownerId: 'agent-1',
      tags: ['VIP', '投诉中'],
      birthday: birthday === '1985-02-29' ? '1984-02-29' : birthday,
      preferredLanguage: 'zh-CN',
      preferences: '偏好下午致电；需要增值税专用发票',
      notes: '上月投诉物流延误，已补偿优惠券。',
      lifetimeValue: 268000,
      lifecycleStage: 'maturity',
      lastContactAt: now - 12 * DAY_MS,
      phones: [
        { raw: '0755-8888 1234', label: 'work', primary: true },
        { raw: '139 2233 4455', label: 'mobile' },
      ],
      emails: [{ address: 'zhang.wei@tengfei.example.cn' }],
      addresses: [{ label: 'work', line1: '科技园南路88号', city: '深圳', region: '广东省', postalCode: '518057', country: 'CN' }],
    },
    {
      code: 'FAM-0001',
      name: '李娜',
      company: '',
      status: 'following-up',
      level: 'gold',
      source: 'inbound-call',
      ownerId: 'agent-2',
      preferredLanguage: 'zh-CN',
      lifecycleStage: 'growth',
      lastContactAt: now - 3 * DAY_MS,
      phones: [{ raw: '+86 138 0013 8000', label: 'home' }],
    },
    {
      code: 'FAM-0002',
      name: '王强',
      company: '',
      status: 'potential',
      level: 'standard',
      source: 'inbound-call',
      ownerId: null,
      preferredLanguage: 'zh-CN',
      lifecycleStage: 'decline',
      lastContactAt: now - 200 * DAY_MS,
      phones: [{ raw: '13800138000', label: 'mobile' }],
    },
    {
      code: 'US-ACME-01',
      name: 'Alice Smith',
      company: 'Acme Inc.',
      type: 'person',
      status: 'contracted',
      level: 'platinum',
      source: 'website',
      ownerId: 'agent-1',
      tags: ['renewal-due'],
      preferredLanguage: 'en-US',
      preferences: 'Email before calling',
      lifetimeValue: 54000,
      lifecycleStage: 'maturity',
      lastContactAt: now - 120 * DAY_MS,
      phones: [{ raw: '+1 (212) 555-0123', label: 'work' }],
      emails: [{ address: 'alice.smith@acme.example' }],
    },
  ];
}

/** Options of {@link seedDemoCustomers}. */
export interface SeedOptions extends DemoOptions {
  /** Add the {@link demoShowcase} customers first (default true). */
  showcase?: boolean;
  /** Rows per transaction (default 5000). */
  batchSize?: number;
  /** Called after every batch with the number written so far. */
  onProgress?: (written: number) => void;
}

/**
 * Seeds `count` generated customers (plus the showcase ones) into an EMPTY customer table, in
 * batched transactions. Refuses (CONFLICT) when customers already exist, so it can never mix demo
 * data into real data. Returns the number of customers written.
 */
export function seedDemoCustomers(service: CustomerService, count: number, options: SeedOptions = {}): number {
  const repo = service.repository;
  if (repo.count() > 0) throw new AppError('CONFLICT', 'Demo customers are only seeded into an empty database');
  const batchSize = options.batchSize ?? 5000;
  let written = 0;
  let batch: CustomerSaveInput[] = options.showcase === false ? [] : demoShowcase(options.now);
  const flush = () => {
    written += service.createMany(batch);
    batch = [];
    options.onProgress?.(written);
  };
  for (const input of generateDemoCustomers(count, options)) {
    batch.push(input);
    if (batch.length >= batchSize) flush();
  }
  if (batch.length > 0) flush();
  return written;
}
