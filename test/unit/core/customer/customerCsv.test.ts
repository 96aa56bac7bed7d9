import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { customerToRow, detectDelimiter, encodeCsv, guardCell, parseCsv, rowToCustomer, EXPORT_COLUMNS } from '../../../../electron/core/customer/customerCsv';

describe('parseCsv', () => {
  it('detects the delimiter, keeps line numbers and skips blank lines', () => {
    expect(detectDelimiter('a;b;c\n1;2;3')).toBe(';');
    expect(detectDelimiter('a\tb\n')).toBe('\t');
    expect(detectDelimiter('single\n')).toBe(',');
    expect(parseCsv('code,name\r\n\r\nA,"multi\nline"\nB,x\n')).toEqual({
      headers: ['code', 'name'],
      rows: [
        { line: 4, cells: ['A', 'multi\nline'] },
        { line: 5, cells: ['B', 'x'] },
      ],
      delimiter: ',',
    });
  });

  it('names the line of a malformed file', () => {
    expect(() => parseCsv('a,b\n1,"open\n')).toThrow(/cannot be read/);
  });
});

describe('rowToCustomer', () => {
  const headers = ['code', 'status', 'level', 'birthday', 'points', 'allowSms', 'mobile', 'tags', 'lastContactAt', 'country'];
  const mapping = Object.fromEntries(headers.map((h) => [h, h])) as Record<string, never>;
  it('converts Chinese and English values', () => {
    const { input, reasons } = rowToCustomer(headers, ['A1', '跟进中', '黄金', '1990年5月6日', '1,200', '否', '138 0013 8000；139 0000 0000', 'VIP、重点', '2026-01-02 08:30', 'cn'], mapping);
    expect(reasons).toEqual([]);
    expect(input).toMatchObject({
      code: 'A1',
      status: 'following-up',
      level: 'gold',
      birthday: '1990-05-06',
      points: 1200,
      contactPermissions: { sms: false },
      phones: [
        { raw: '138 0013 8000', label: 'mobile' },
        { raw: '139 0000 0000', label: 'mobile' },
      ],
      tags: ['VIP', '重点'],
      addresses: [{ country: 'CN' }],
    });
    expect(input.lastContactAt).toBe(new Date(2026, 0, 2, 8, 30).getTime());
  });

  it('gives a reason naming the column and value for every unreadable cell', () => {
    const { reasons } = rowToCustomer(headers, ['A1', 'happy', 'diamond', 'someday', 'lots', 'maybe', '', '', 'yesterday', ''], mapping);
    expect(reasons).toHaveLength(6);
    expect(reasons[0]).toMatch(/^status: "happy" is not a status/);
  });
});

describe('export rows', () => {
  it('guards formula cells but not phone numbers, and encodes GB18030', () => {
    const row = customerToRow({
      id: 1,
      code: 'X',
      name: '=HYPERLINK("x")',
      company: '@evil',
      type: 'person',
      status: 'potential',
      level: 'standard',
      source: 'other',
      creditRating: null,
      points: 0,
      ownerId: null,
      tags: [],
      birthday: null,
      preferredLanguage: null,
      preferences: '-cmd',
      notes: '',
      contactPermissions: { call: true, sms: true, email: true },
      lifetimeValue: 0,
      lifecycleStage: 'growth',
      lastContactAt: null,
      serverVersion: null,
      revision: 0,
      createdAt: 0,
      updatedAt: 0,
      phones: [{ raw: '+86 138 0013 8000', e164: '+8613800138000', extension: null, label: 'mobile', primary: true }],
      emails: [],
      addresses: [],
    });
    const at = (f: (typeof EXPORT_COLUMNS)[number]) => row[EXPORT_COLUMNS.indexOf(f)];
    expect(at('name')).toBe('\'=HYPERLINK("x")');
    expect(at('company')).toBe("'@evil");
    expect(at('preferences')).toBe("'-cmd");
    expect(at('mobile')).toBe('+86 138 0013 8000');
    expect(iconv.decode(encodeCsv('张伟', 'gb18030'), 'gb18030')).toBe('张伟');
  });

  // OWASP CSV injection: every cell starting with = + - @ tab CR is quoted, arithmetic included;
  // only phone cells of "+", digits and spaces stay as they are (nothing there to compute).
  it.each([
    ['notes', '-1-1', "'-1-1"],
    ['notes', '+1+1', "'+1+1"],
    ['notes', '+1-1', "'+1-1"],
    ['notes', '-2', "'-2"],
    ['notes', '=1+1', "'=1+1"],
    ['notes', '@SUM(A1)', "'@SUM(A1)"],
    ['notes', '\t=cmd', "'\t=cmd"],
    ['notes', '\r=cmd', "'\r=cmd"],
    ['notes', '+86 138 0013 8000', "'+86 138 0013 8000"],
    ['notes', 'a -1-1', 'a -1-1'],
    ['mobile', '+86 138 0013 8000', '+86 138 0013 8000'],
    ['mobile', '+86 138 0013 8000; +8675588881234', '+86 138 0013 8000; +8675588881234'],
    ['mobile', '+1-212-555-0123', "'+1-212-555-0123"],
    ['mobile', '-1-1', "'-1-1"],
    ['mobile', '+1+1', "'+1+1"],
    ['mobile', '0755-8888 1234', '0755-8888 1234'],
  ] as const)('guards %s cell %j as %j', (column, value, expected) => {
    expect(guardCell(value, column)).toBe(expected);
  });
});
