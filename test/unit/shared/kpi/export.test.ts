import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { reportColumnLabel } from '../../../../shared/kpi/labels';
import { reportTable, toCsv, type Report } from '../../../../shared/kpi/report';
import { toXlsx } from '../../../../shared/kpi/xlsx';

const report: Report = {
  query: { from: 0, to: 86_400_000, grain: 'day', timeZone: 'Asia/Shanghai', by: 'queue', queues: [] },
  rows: [{ start: 0, period: '2026-12-03', key: 'sales, "east"', values: { offered: 10, answered: 6, serviceLevel: 3 / 7, asaMs: 24_333.3, fcr: null } }],
  totals: [{ start: 0, period: '', key: '', values: { offered: 10, answered: 6, serviceLevel: 3 / 7, asaMs: 24_333.3, csat: 0.5 } }],
  complaintsByCategory: {},
};

describe('report exports carry exactly the on-screen texts', () => {
  it('the table: formatted values, — for nothing to measure, translated headers', () => {
    const table = reportTable(report, (c) => reportColumnLabel('zh-CN', c));
    expect(table.header.slice(0, 4)).toEqual(['时段', '队列', '呼入量', '接通量']);
    const sl = table.header.indexOf('服务水平');
    expect(table.rows[0]![sl]).toBe('42.9%');
    expect(table.rows[0]![table.header.indexOf('平均应答速度')]).toBe('0:24');
    expect(table.rows[0]![table.header.indexOf('首次解决率')]).toBe('—');
    expect(table.rows[1]!.slice(0, 2)).toEqual(['合计', '合计']);
  });

  it('CSV: BOM, CRLF, quoted commas and quotes, formula-looking text neutralised', () => {
    const csv = toCsv({ header: ['a', 'b'], rows: [['sales, "east"', '=1+2'], ['42.9%', '—']] });
    expect(csv).toBe('\uFEFFa,b\r\n"sales, ""east""","\'=1+2"\r\n42.9%,—\r\n');
  });

  it('XLSX: one sheet whose cells are the table texts', () => {
    const table = reportTable(report, (c) => reportColumnLabel('en-US', c));
    const files = unzipSync(toXlsx(table, 'Queues'));
    expect(Object.keys(files).sort()).toEqual(['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']);
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
    const texts = [...sheet.matchAll(/<t xml:space="preserve">([^<]*)<\/t>/g)].map((m) => m[1]!.replace(/&quot;/g, '"'));
    expect(texts).toEqual([...table.header, ...table.rows.flat()]);
    expect(strFromU8(files['xl/workbook.xml']!)).toContain('name="Queues"');
  });
});
