import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CustomerCsvService } from '../../../../electron/core/customer/customerCsvService';
import { decodeCsv, suggestMapping } from '../../../../electron/core/customer/customerCsv';
import { createLogRoot } from '../../../../electron/core/log/logger';
import { AppError } from '../../../../shared/api/result';
import { createTestCustomers } from './testService';

function setup() {
  const t = createTestCustomers();
  let pauses = 0;
  const csv = new CustomerCsvService(t.service, t.clock, () => 90, createLogRoot([]).createLogger('csv'), async () => {
    pauses += 1;
  });
  return { ...t, csv, pauses: () => pauses };
}

const GBK_FILE = [
  '客户编号,姓名,公司,手机,电话,邮箱,状态,等级,生日,标签,备注',
  'C001,张伟,深圳市腾飞科技有限公司,138 0013 8000,0755-8888 1234,zhang.wei@tengfei.cn,已签约,黄金,1985-03-12,VIP;投诉中,老客户',
  'C002,李娜,北京华信贸易,13912345678,,li.na@huaxin.cn,意向,普通,1990/5/6,,',
  'C003,王芳,,不是号码,,,潜在,,,,',
  'C004,,上海某公司,13700000000,,,潜在,,,,',
  'C005,刘洋,广州星河,13611112222,,not-an-email,跟进中,白银,1988-02-30,,',
  'C006,陈静,杭州云端,+86 571 8702 2088,,chen.jing@yunduan.cn,潜在,铂金,1979年11月24日,重点,',
].join('\r\n');

describe('CSV import', () => {
  it('imports a GBK file with three bad rows: the rest is stored and the three are reported with reasons', async () => {
    const { csv, service } = setup();
    const bytes = iconv.encode(GBK_FILE, 'gbk');
    const report = await csv.importBytes(bytes);
    expect(report).toMatchObject({ encoding: 'gb18030', rows: 6, created: 3, updated: 0, rejected: 3, dryRun: false });
    expect(report.rejectedRows.map((r) => [r.line, r.code])).toEqual([
      [4, 'C003'],
      [5, 'C004'],
      [6, 'C005'],
    ]);
    expect(report.rejectedRows[0]!.reasons.join()).toMatch(/phones\.0\.raw: "不是号码" has no digits/);
    expect(report.rejectedRows[1]!.reasons).toEqual(['name is required for a new customer']);
    expect(report.rejectedRows[2]!.reasons.join()).toMatch(/生日: "1988-02-30"|birthday: is not a real date/);
    expect(report.rejectedRows[2]!.reasons.join()).toMatch(/emails\.0\.address/);

    const zhang = service.findByCode('C001')!;
    expect(zhang).toMatchObject({
      name: '张伟',
      company: '深圳市腾飞科技有限公司',
      status: 'contracted',
      level: 'gold',
      birthday: '1985-03-12',
      tags: ['VIP', '投诉中'],
      notes: '老客户',
      phones: [
        { raw: '138 0013 8000', e164: '+8613800138000', label: 'mobile', primary: true },
        { raw: '0755-8888 1234', e164: '+8675588881234', label: 'work', primary: false },
      ],
      emails: [{ address: 'zhang.wei@tengfei.cn' }],
    });
    expect(service.findByCode('C002')).toMatchObject({ birthday: '1990-05-06', status: 'intent' });
    expect(service.findByCode('C006')).toMatchObject({ birthday: '1979-11-24', level: 'platinum' });
    expect(service.lookupCaller({ number: '+86 755 88881234' }).matches.map((m) => m.code)).toEqual(['C001']);
  });

  it('is idempotent on customer code: importing the same file twice creates nothing new', async () => {
    const { csv, repo } = setup();
    const bytes = iconv.encode(GBK_FILE, 'gbk');
    await csv.importBytes(bytes);
    const again = await csv.importBytes(bytes);
    expect(again).toMatchObject({ created: 0, updated: 3, rejected: 3 });
    expect(repo.count()).toBe(3);
  });

  it('updates only the mapped columns of an existing customer', async () => {
    const { csv, service } = setup();
    service.save({ code: 'C001', name: '张伟', company: 'Old Co', phones: [{ raw: '13800138000' }], notes: 'keep me' });
    const report = await csv.importBytes(Buffer.from('code,company,status\nC001,New Co,contracted\n'));
    expect(report).toMatchObject({ created: 0, updated: 1, rejected: 0 });
    expect(service.findByCode('c001')).toMatchObject({ name: '张伟', company: 'New Co', status: 'contracted', notes: 'keep me', phones: [{ raw: '13800138000' }] });
  });

  it('reads UTF-8 with and without BOM, semicolon and tab delimiters', async () => {
    const { csv, service } = setup();
    const body = 'Code;Name;Mobile\nU1;Ann Lee;+1 212 555 0123\n';
    expect(await csv.importBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]))).toMatchObject({ encoding: 'utf-8-bom', delimiter: ';', created: 1 });
    expect(await csv.importBytes(Buffer.from('code\tname\nU2\tBo 王\n'))).toMatchObject({ encoding: 'utf-8', delimiter: '\t', created: 1 });
    expect(service.findByCode('U1')?.phones[0]?.e164).toBe('+12125550123');
    expect(service.findByCode('U2')?.name).toBe('Bo 王');
  });

  it('uses an explicit column mapping and ignores unmapped columns', async () => {
    const { csv, service } = setup();
    const report = await csv.importBytes(Buffer.from('A,B,C\nK1,Zhao Lei,secret\n'), { mapping: { A: 'code', B: 'name', C: null } });
    expect(report.created).toBe(1);
    expect(service.findByCode('K1')).toMatchObject({ name: 'Zhao Lei', notes: '' });
  });

  it('reports a code repeated inside the file', async () => {
    const { csv } = setup();
    const report = await csv.importBytes(Buffer.from('code,name\nD1,One\nD1,Two\n'));
    expect(report.rejectedRows).toEqual([{ line: 3, code: 'D1', reasons: ['code "D1" already appears on line 2'] }]);
  });

  it('imports nothing from an unreadable file', async () => {
    const { csv, repo } = setup();
    const broken = Buffer.from('code,name\nE1,Fine\nE2,"never closed\n');
    await expect(csv.importBytes(broken)).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    await expect(csv.importBytes(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]))).rejects.toBeInstanceOf(AppError);
    await expect(csv.importBytes(Buffer.from(''))).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    expect(repo.count()).toBe(0);
  });

  it('refuses a mapping without a name or code column', async () => {
    const { csv } = setup();
    await expect(csv.importBytes(Buffer.from('foo,bar\n1,2\n'))).rejects.toThrow(/Map a column to "name"/);
  });

  it('validates without writing in a dry run', async () => {
    const { csv, repo } = setup();
    const report = await csv.importBytes(iconv.encode(GBK_FILE, 'gbk'), { dryRun: true });
    expect(report).toMatchObject({ created: 3, rejected: 3, dryRun: true });
    expect(repo.count()).toBe(0);
  });

  it('yields to the event loop between chunks of a large file', async () => {
    const { csv, pauses, repo } = setup();
    const lines = ['code,name,mobile'];
    for (let i = 0; i < 1200; i++) lines.push(`B${i},Name ${i},1380013${String(i).padStart(4, '0')}`);
    const report = await csv.importBytes(Buffer.from(lines.join('\n')));
    expect(report.created).toBe(1200);
    expect(pauses()).toBeGreaterThanOrEqual(3);
    expect(repo.count()).toBe(1200);
  });

  it('previews headers, suggested mapping and sample rows', () => {
    const { csv } = setup();
    const preview = csv.preview({ contentBase64: iconv.encode(GBK_FILE, 'gbk').toString('base64') });
    expect(preview).toMatchObject({ encoding: 'gb18030', rowCount: 6, headers: expect.arrayContaining(['客户编号', '姓名']) });
    expect(preview.suggestedMapping).toMatchObject({ 客户编号: 'code', 姓名: 'name', 手机: 'mobile', 电话: 'workPhone', 邮箱: 'email', 生日: 'birthday' });
    expect(preview.sampleRows[0]?.[1]).toBe('张伟');
  });
});

describe('CSV export', () => {
  it('round-trips through export and import, in UTF-8 with BOM and in GB18030', async () => {
    for (const encoding of ['utf-8-bom', 'gb18030'] as const) {
      const source = setup();
      source.service.save({
        code: 'X1',
        name: '欧阳娜娜',
        company: '=cmd|calc',
        tags: ['a', 'b'],
        phones: [{ raw: '+86 138 0013 8000', label: 'mobile' }, { raw: '0755-8888 1234', label: 'work' }],
        emails: [{ address: 'n@x.cn' }],
        birthday: '--02-29',
        lastContactAt: Date.UTC(2026, 0, 2, 3, 4, 5),
        contactPermissions: { call: true, sms: false, email: true },
      });
      const exported = await source.csv.exportCsv({ encoding });
      expect(exported.rows).toBe(1);
      expect(exported.fileName).toMatch(/^customers-\d{8}T\d{4}\.csv$/);
      const text = decodeCsv(exported.bytes).text;
      expect(text).toContain("'=cmd|calc");
      expect(text).toContain('+86 138 0013 8000');

      const target = setup();
      const report = await target.csv.importBytes(exported.bytes);
      expect(report.rejectedRows).toEqual([]);
      expect(report).toMatchObject({ created: 1, rejected: 0 });
      const a = source.service.findByCode('X1')!;
      const b = target.service.findByCode('X1')!;
      const strip = (c: typeof a) => ({ ...c, id: 0, createdAt: 0, updatedAt: 0, revision: 0 });
      expect(strip(b)).toEqual(strip(a));
    }
  });

  it('exports only what the filters select', async () => {
    const { csv, service } = setup();
    service.save({ name: 'A', status: 'contracted' });
    service.save({ name: 'B', status: 'potential' });
    expect((await csv.exportCsv({ filters: { status: ['contracted'] } })).rows).toBe(1);
    expect((await csv.exportCsv({ query: 'B' })).rows).toBe(1);
  });
});

describe('suggestMapping', () => {
  it('maps English and Chinese headers and leaves unknown ones unmapped', () => {
    expect(suggestMapping(['Customer Code', 'Full Name', 'E-mail', 'Mobile Phone', 'Favourite Colour', '手机号码', 'Tel'])).toEqual({
      'Customer Code': 'code',
      'Full Name': 'name',
      'E-mail': 'email',
      'Mobile Phone': 'mobile',
      'Favourite Colour': null,
      手机号码: 'mobile',
      Tel: 'workPhone',
    });
  });
});
