import { describe, expect, it } from 'vitest';
import { FTS_SCAN_CAP, parseQuery, ftsPhrase } from '../../../../electron/core/customer/customerRepository';
import { DAY_MS } from '../../../../shared/customer/helpers';
import { SEARCH_MATCH_CAP } from '../../../../shared/customer/schema';
import { createTestCustomers } from './testService';

function seeded() {
  const t = createTestCustomers({ dormantDays: 90 });
  const now = t.clock.t;
  const { service } = t;
  const zhangWei = service.save({
    code: 'C1001',
    name: '张伟',
    company: '深圳市腾飞科技有限公司',
    status: 'contracted',
    level: 'gold',
    ownerId: 'agent-1',
    tags: ['vip', '投诉中'],
    lifecycleStage: 'maturity',
    lastContactAt: now - 10 * DAY_MS,
    phones: [{ raw: '0755-8888 1234' }],
    emails: [{ address: 'zhang.wei@tengfei.example.cn' }],
  });
  const zhangWeiMing = service.save({
    code: 'C1002',
    name: '张伟明',
    company: '北京华信贸易',
    status: 'potential',
    level: 'standard',
    ownerId: null,
    lastContactAt: now - 200 * DAY_MS,
    phones: [{ raw: '139 1234 5678' }],
  });
  const ouYang = service.save({
    code: 'C1003',
    name: '欧阳娜娜',
    company: 'Acme Trading Ltd',
    type: 'company',
    source: 'website',
    ownerId: 'agent-2',
    lifecycleStage: 'decline',
    phones: [{ raw: '+86 21 5555 1234' }],
  });
  const alice = service.save({
    code: 'US-77',
    name: 'Alice O\'Brien',
    company: 'Globex "North" (USA)',
    status: 'intent',
    level: 'vip',
    ownerId: 'agent-1',
    lastContactAt: now - 1 * DAY_MS,
    phones: [{ raw: '+1 (212) 555-0123' }],
    emails: [{ address: 'alice@globex.example' }],
    tags: ['renewal-due'],
  });
  return { ...t, zhangWei, zhangWeiMing, ouYang, alice };
}

const ids = (r: { items: { id: number }[] }) => r.items.map((i) => i.id);

describe('customer search: one box', () => {
  it('finds Chinese names by full name (2 characters) and by substring (3+)', () => {
    const { service, zhangWei, zhangWeiMing, ouYang } = seeded();
    expect(ids(service.search({ query: '张伟' }))).toEqual([zhangWei.id, zhangWeiMing.id]);
    expect(ids(service.search({ query: '张伟明' }))).toEqual([zhangWeiMing.id]);
    expect(ids(service.search({ query: '阳娜娜' }))).toEqual([ouYang.id]);
  });

  it('finds 张伟 by pinyin: zhangwei, zw, zhang wei, ZhangWei', () => {
    const { service, zhangWei, zhangWeiMing } = seeded();
    expect(ids(service.search({ query: 'zhangwei' }))).toEqual([zhangWei.id, zhangWeiMing.id]);
    expect(ids(service.search({ query: 'zw' }))).toEqual([zhangWei.id, zhangWeiMing.id]);
    expect(ids(service.search({ query: 'zwm' }))).toEqual([zhangWeiMing.id]);
    expect(ids(service.search({ query: 'zhang wei' }))).toEqual([zhangWei.id, zhangWeiMing.id]);
    expect(ids(service.search({ query: 'ZhangWei' }))).toEqual([zhangWei.id, zhangWeiMing.id]);
    expect(ids(service.search({ query: 'ouyang' }))).toHaveLength(1);
  });

  it('finds by company, code, email and tag', () => {
    const { service, zhangWei, ouYang, alice } = seeded();
    expect(ids(service.search({ query: '腾飞科技' }))).toEqual([zhangWei.id]);
    expect(ids(service.search({ query: 'acme' }))).toEqual([ouYang.id]);
    expect(ids(service.search({ query: 'US-77' }))).toEqual([alice.id]);
    expect(ids(service.search({ query: 'us' }))).toEqual([alice.id]);
    expect(ids(service.search({ query: 'alice@globex' }))).toEqual([alice.id]);
    expect(ids(service.search({ query: '投诉中' }))).toEqual([zhangWei.id]);
    expect(ids(service.search({ query: 'renewal' }))).toEqual([alice.id]);
  });

  it('finds by any phone fragment of 4+ digits, with or without separators', () => {
    const { service, zhangWei, zhangWeiMing, ouYang, alice } = seeded();
    expect(ids(service.search({ query: '8888' }))).toEqual([zhangWei.id]);
    expect(ids(service.search({ query: '0755 8888' }))).toEqual([zhangWei.id]);
    expect(ids(service.search({ query: '+86 755 8888 1234' }))).toEqual([zhangWei.id]);
    expect(ids(service.search({ query: '5678' }))).toEqual([zhangWeiMing.id]);
    expect(ids(service.search({ query: '021-5555' }))).toEqual([ouYang.id]);
    expect(ids(service.search({ query: '555-0123' }))).toEqual([alice.id]);
    expect(ids(service.search({ query: '1234' })).sort()).toEqual([zhangWei.id, zhangWeiMing.id, ouYang.id].sort());
  });

  it('orders results by last contact, most recent first, never-contacted last', () => {
    const { service, zhangWei, zhangWeiMing, ouYang, alice } = seeded();
    expect(ids(service.search({ query: '' }))).toEqual([alice.id, zhangWei.id, zhangWeiMing.id, ouYang.id]);
  });

  it('combines a long term with a short one', () => {
    const { service, zhangWeiMing } = seeded();
    expect(ids(service.search({ query: '华信 zhangwei' }))).toEqual([zhangWeiMing.id]);
  });

  it('returns nothing for an unknown name', () => {
    const { service } = seeded();
    expect(service.search({ query: '不存在的人' })).toEqual({ items: [], total: 0, capped: false });
  });
});

describe('customer search: filters and paging', () => {
  it('filters by status, level, type, source, lifecycle stage', () => {
    const { service, zhangWei, ouYang, alice } = seeded();
    expect(ids(service.search({ filters: { status: ['contracted', 'intent'] } }))).toEqual([alice.id, zhangWei.id]);
    expect(ids(service.search({ filters: { level: ['gold'] } }))).toEqual([zhangWei.id]);
    expect(ids(service.search({ filters: { type: ['company'] } }))).toEqual([ouYang.id]);
    expect(ids(service.search({ filters: { source: ['website'] } }))).toEqual([ouYang.id]);
    expect(ids(service.search({ filters: { lifecycleStage: ['decline', 'maturity'] } }))).toEqual([zhangWei.id, ouYang.id]);
    expect(ids(service.search({ query: 'zw', filters: { status: ['potential'] } }))).toHaveLength(1);
  });

  it('filters by owner, "no owner" included', () => {
    const { service, zhangWei, zhangWeiMing, alice } = seeded();
    expect(ids(service.search({ filters: { ownerId: ['agent-1'] } }))).toEqual([alice.id, zhangWei.id]);
    expect(ids(service.search({ filters: { ownerId: [null] } }))).toEqual([zhangWeiMing.id]);
    expect(ids(service.search({ filters: { ownerId: ['agent-1', null] } }))).toEqual([alice.id, zhangWei.id, zhangWeiMing.id]);
  });

  it('filters dormant customers (last contact older than the configured days)', () => {
    const { service, config, zhangWei, zhangWeiMing, ouYang, alice } = seeded();
    expect(ids(service.search({ filters: { dormant: true } }))).toEqual([zhangWeiMing.id]);
    expect(ids(service.search({ filters: { dormant: false } }))).toEqual([alice.id, zhangWei.id, ouYang.id]);
    config.dormantDays = 5;
    expect(ids(service.search({ filters: { dormant: true } }))).toEqual([zhangWei.id, zhangWeiMing.id]);
  });

  it('pages and reports the total', () => {
    const { service, zhangWei, zhangWeiMing } = seeded();
    const page = service.search({ query: '', limit: 2, offset: 1 });
    expect(ids(page)).toEqual([zhangWei.id, zhangWeiMing.id]);
    expect(page.total).toBe(4);
    expect(page.capped).toBe(false);
  });

  it('caps large match sets and says so', () => {
    const { service, repo } = createTestCustomers();
    repo.transaction(() => {
      for (let i = 0; i < SEARCH_MATCH_CAP + 5; i++) service.save({ name: `王${i}`, company: 'Same Company' });
    });
    const result = service.search({ query: 'same company', limit: 10 });
    expect(result.items).toHaveLength(10);
    expect(result.total).toBe(SEARCH_MATCH_CAP);
    expect(result.capped).toBe(true);
  });

  it('bounds a text search with filters or short terms and says the answer may be partial', () => {
    const { service } = createTestCustomers();
    const many = Array.from({ length: FTS_SCAN_CAP + 1 }, (_, i) => ({ code: `M${i}`, name: `王${i}`, company: 'Common Trading', status: 'potential' as const }));
    const last = { code: 'LAST', name: '李四', company: 'Common Trading', status: 'contracted' as const };
    service.createMany([{ code: 'FIRST', name: '张三', company: 'Common Trading', status: 'contracted' as const }, ...many, last]);
    const filtered = service.search({ query: 'common trading', filters: { status: ['contracted'] } });
    expect(filtered.items.map((i) => i.code)).toEqual(['FIRST']);
    expect(filtered.capped).toBe(true);
    const short = service.search({ query: '张三 common' });
    expect(short.items.map((i) => i.code)).toEqual(['FIRST']);
    expect(short.capped).toBe(true);
    expect(service.search({ query: '李四 common' })).toMatchObject({ items: [], capped: true });
    expect(service.search({ query: '李四' }).items.map((i) => i.code)).toEqual(['LAST']);
  });

  it('returns summaries with primary phone and email', () => {
    const { service, alice } = seeded();
    expect(service.search({ query: 'alice' }).items[0]).toEqual({
      id: alice.id,
      code: 'US-77',
      name: "Alice O'Brien",
      company: 'Globex "North" (USA)',
      type: 'person',
      status: 'intent',
      level: 'vip',
      lifecycleStage: 'acquisition',
      ownerId: 'agent-1',
      tags: ['renewal-due'],
      lastContactAt: alice.lastContactAt,
      primaryPhone: '+1 (212) 555-0123',
      primaryEmail: 'alice@globex.example',
    });
  });
});

describe('customer search: hostile input', () => {
  const HOSTILE = [
    "'",
    '"',
    '""',
    '*',
    '(',
    ')',
    'OR',
    'NEAR',
    'AND NOT',
    '--',
    ';',
    '^',
    '-',
    '+',
    ':',
    '{}',
    "' OR 1=1 --",
    '"; DROP TABLE customers; --',
    'name:张伟',
    'NEAR(a b, 2)',
    '张* OR zhang*',
    '^张伟',
    '"unterminated',
    "O'Brien",
    'Globex "North"',
    '(USA)',
    '%',
    '_',
    '\\',
    '\u0000',
    'a\u0000b',
    '🙂🙂🙂',
    ' '.repeat(100),
    "' \" * ( ) OR NEAR -- ; ^ -",
  ];

  it.each(HOSTILE)('%j returns results or nothing, never an error', (query) => {
    const { service } = seeded();
    const result = service.search({ query });
    expect(Array.isArray(result.items)).toBe(true);
  });

  it('treats SQL and FTS syntax as plain text', () => {
    const { service, alice, db } = seeded();
    expect(ids(service.search({ query: "O'Brien" }))).toEqual([alice.id]);
    expect(ids(service.search({ query: 'globex "north"' }))).toEqual([alice.id]);
    expect(ids(service.search({ query: '(USA)' }))).toEqual([alice.id]);
    expect(ids(service.search({ query: 'zhangwei OR alice' }))).toEqual([]);
    service.search({ query: '"; DROP TABLE customers; --' });
    expect((db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n).toBe(4);
  });
});

describe('parseQuery', () => {
  it('splits long and short terms and detects phone fragments', () => {
    expect(parseQuery('  Zhang  WEI zw ')).toEqual({ long: ['zhang', 'wei'], short: ['zw'], phoneDigits: null });
    expect(parseQuery('+86 (755) 8888-1234')).toEqual({ long: ['867558888'.concat('1234')], short: [], phoneDigits: '8675588881234' });
    expect(parseQuery('123')).toEqual({ long: [], short: ['123'], phoneDigits: null });
    expect(parseQuery('１３８０')).toMatchObject({ phoneDigits: '1380' });
  });

  it('quotes FTS phrases', () => {
    expect(ftsPhrase('a"b')).toBe('"a""b"');
  });
});
