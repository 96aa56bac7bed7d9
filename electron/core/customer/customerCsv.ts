import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AppError, assertNever } from '../../../shared/api/result';
import { CSV_FIELDS, type CsvField } from '../../../shared/customer/csv';
import type { Customer, PhoneLabel } from '../../../shared/customer/schema';

/**
 * CSV reading and writing for customers, pure (bytes in, values out): encoding detection, parsing,
 * header-to-field mapping (English and Chinese headers), cell conversion with reasons, and the
 * export format (which the import reads back).
 */

export { decodeCsv, type DecodedCsv } from '../../../shared/customer/csvDecode';
export { rowToCustomer, suggestMapping } from '../../../shared/customer/csvRows';

/** Guesses the delimiter from the header line: comma, semicolon or tab, whichever is most frequent. */
export function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => ({ d, n: firstLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0] && counts[0].n > 0 ? counts[0].d : ',';
}

/** A parsed file: the header row and the data rows with their line numbers. */
export interface ParsedCsv {
  headers: string[];
  rows: Array<{ line: number; cells: string[] }>;
  delimiter: string;
}

/** Parses CSV text. A malformed file (an unclosed quote...) is INVALID_PAYLOAD naming the line. */
export function parseCsv(text: string): ParsedCsv {
  const delimiter = detectDelimiter(text);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { delimiter, record_delimiter: ['\r\n', '\n', '\r'], info: true, relax_column_count: true, skip_empty_lines: true, bom: true }) as unknown as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new AppError('INVALID_PAYLOAD', `The CSV file cannot be read${line ? ` (line ${line})` : ''}: ${(err as Error).message}`);
  }
  const [header, ...data] = records;
  if (!header) throw new AppError('INVALID_PAYLOAD', 'The file is empty');
  return {
    headers: header.record.map((h) => h.trim()),
    rows: data.filter((r) => r.record.some((c) => c.trim() !== '')).map((r) => ({ line: r.info.lines, cells: r.record })),
    delimiter,
  };
}

/** The export's columns: field names, which {@link suggestMapping} maps back on import. */
export const EXPORT_COLUMNS: readonly CsvField[] = CSV_FIELDS;

/** Phone columns of the export: their cells may keep a leading `+`. */
const PHONE_COLUMNS: ReadonlySet<CsvField> = new Set<CsvField>(['mobile', 'workPhone', 'homePhone', 'fax', 'otherPhone']);

/** First characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * International numbers written with digits and spaces only (`+86 138 0013 8000`, several joined by
 * `; `). A spreadsheet finds nothing to compute or call there (no operator, function or reference),
 * so they stay readable. A dash would be arithmetic (`+1-212-555-0123` shows as -889): guarded.
 */
const PLAIN_INTERNATIONAL = /^\+\d[\d ]*(?:; \+\d[\d ]*)*$/;

/**
 * Export formula guard (OWASP): every cell that starts with `=`, `+`, `-`, `@`, tab or CR gets a
 * leading `'`, so spreadsheets show it as text instead of evaluating it (`-1-1`, `=HYPERLINK(...)`,
 * `@SUM(...)`). The one exception: a phone column cell that is only `+`, digits and spaces. Our
 * import removes the `'` again (`shared/customer/csvRows.ts`), so an export re-imports unchanged.
 */
export function guardCell(value: string, column: CsvField): string {
  if (!FORMULA_START.test(value)) return value;
  if (PHONE_COLUMNS.has(column) && PLAIN_INTERNATIONAL.test(value)) return value;
  return `'${value}`;
}

function isoTime(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString();
}

/** One customer as export cells, in {@link EXPORT_COLUMNS} order. */
export function customerToRow(c: Customer): string[] {
  const phones = (label: PhoneLabel) =>
    c.phones
      .filter((p) => p.label === label)
      .map((p) => p.raw)
      .join('; ');
  const a = c.addresses[0];
  const values: Record<CsvField, string> = {
    code: c.code,
    name: c.name,
    company: c.company,
    type: c.type,
    status: c.status,
    level: c.level,
    source: c.source,
    creditRating: c.creditRating ?? '',
    points: String(c.points),
    ownerId: c.ownerId ?? '',
    tags: c.tags.join('; '),
    birthday: c.birthday ?? '',
    preferredLanguage: c.preferredLanguage ?? '',
    preferences: c.preferences,
    notes: c.notes,
    allowCall: c.contactPermissions.call ? 'yes' : 'no',
    allowSms: c.contactPermissions.sms ? 'yes' : 'no',
    allowEmail: c.contactPermissions.email ? 'yes' : 'no',
    lifetimeValue: String(c.lifetimeValue),
    lifecycleStage: c.lifecycleStage,
    lastContactAt: isoTime(c.lastContactAt),
    mobile: phones('mobile'),
    workPhone: phones('work'),
    homePhone: phones('home'),
    fax: phones('fax'),
    otherPhone: phones('other'),
    email: c.emails.map((e) => e.address).join('; '),
    addressLine1: a?.line1 ?? '',
    addressLine2: a?.line2 ?? '',
    city: a?.city ?? '',
    region: a?.region ?? '',
    postalCode: a?.postalCode ?? '',
    country: a?.country ?? '',
  };
  return EXPORT_COLUMNS.map((col) => guardCell(values[col], col));
}

/** CSV text (with header row) for rows from {@link customerToRow}. */
export function stringifyRows(rows: string[][], withHeader: boolean): string {
  return stringify(withHeader ? [EXPORT_COLUMNS as unknown as string[], ...rows] : rows, { record_delimiter: '\r\n' });
}

/** Encodes export text: UTF-8 with a BOM (Excel), plain UTF-8, or GB18030. */
export function encodeCsv(text: string, encoding: 'utf-8-bom' | 'utf-8' | 'gb18030'): Buffer {
  switch (encoding) {
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'gb18030':
      return iconv.encode(text, 'gb18030');
    default:
      return assertNever(encoding, 'encoding');
  }
}
