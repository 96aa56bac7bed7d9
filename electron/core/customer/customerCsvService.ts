import { AppError } from '../../../shared/api/result';
import {
  CSV_REPORT_ROW_LIMIT,
  csvExportRequestSchema,
  csvImportRequestSchema,
  csvPreviewRequestSchema,
  type CsvField,
  type CsvImportReport,
  type CsvMapping,
  type CsvPreview,
  type CsvRejectedRow,
} from '../../../shared/customer/csv';
import { dormantCutoff } from '../../../shared/customer/helpers';
import { SEARCH_MATCH_CAP, type Customer, type CustomerSaveInput } from '../../../shared/customer/schema';
import type { Clock } from '../adapters';
import type { Logger } from '../log/logger';
import { customerToRow, decodeCsv, encodeCsv, parseCsv, rowToCustomer, stringifyRows, suggestMapping } from './customerCsv';
import type { CustomerService, FieldIssue } from './customerService';
import type { CsvUploads } from './csvUploads';

/** Options of one import run. */
export interface CsvImportOptions {
  encoding?: string;
  mapping?: CsvMapping;
  dryRun?: boolean;
  /** Told the rows handled so far (after the file is read, then after every chunk). */
  onProgress?: (done: number, total: number) => void;
  /** Asked between chunks; true stops the import there (rows already written stay). */
  cancelled?: () => boolean;
}

/**
 * Rows written per transaction; between chunks the event loop runs (calls, searches and the UI
 * keep answering during a 100,000-row import).
 */
export const IMPORT_ROWS_PER_TRANSACTION = 250;

/** Lets other work (SIP, timers, API calls) run between chunks of a long job. */
export type Yield = () => Promise<void>;
const yieldToEventLoop: Yield = () => new Promise((resolve) => setImmediate(resolve));

/** A finished export. */
export interface CsvExport {
  fileName: string;
  bytes: Buffer;
  rows: number;
}

/** The save input that reproduces a stored customer (for merging an import row into it). */
export function customerToSaveInput(c: Customer): CustomerSaveInput {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    company: c.company,
    type: c.type,
    status: c.status,
    level: c.level,
    source: c.source,
    creditRating: c.creditRating,
    points: c.points,
    ownerId: c.ownerId,
    tags: c.tags,
    birthday: c.birthday,
    preferredLanguage: c.preferredLanguage,
    preferences: c.preferences,
    notes: c.notes,
    contactPermissions: c.contactPermissions,
    lifetimeValue: c.lifetimeValue,
    lifecycleStage: c.lifecycleStage,
    lastContactAt: c.lastContactAt,
    phones: c.phones.map((p) => ({ raw: p.raw, label: p.label, primary: p.primary })),
    emails: c.emails,
    addresses: c.addresses,
  };
}

function issuesOf(err: unknown): string[] {
  if (err instanceof AppError) {
    const issues = (err.details as { issues?: FieldIssue[] } | undefined)?.issues;
    if (issues && issues.length > 0) return issues.map((i) => `${i.path}: ${i.message}`);
    return [err.message];
  }
  return [err instanceof Error ? err.message : String(err)];
}

/**
 * CSV import and export of customers. The whole file is decoded and parsed before anything is
 * written, so an unreadable file imports nothing. Rows are then validated one by one: a bad row is
 * reported (line, code, reasons) and skipped, the others are written in chunked transactions.
 * Idempotent on customer code: a row whose code exists updates that customer (only the mapped
 * columns), so importing the same file twice creates nothing new.
 */
export class CustomerCsvService {
  constructor(
    private readonly customers: CustomerService,
    private readonly clock: Clock,
    private readonly dormantDays: () => number,
    private readonly logger: Logger,
    private readonly pause: Yield = yieldToEventLoop,
    private readonly uploads: CsvUploads | null = null,
  ) {}

  /** The bytes a request names: inline base64, or a finished upload. */
  private source(req: { contentBase64?: string | undefined; uploadId?: string | undefined }): Buffer {
    if (req.uploadId !== undefined) {
      if (!this.uploads) throw new AppError('INVALID_PAYLOAD', 'Uploads are not available here');
      return this.uploads.bytes(req.uploadId);
    }
    return Buffer.from(req.contentBase64 ?? '', 'base64');
  }

  /** Reads the header and the first rows and suggests a column mapping. */
  preview(input: unknown): CsvPreview {
    const req = csvPreviewRequestSchema.parse(input);
    const decoded = decodeCsv(this.source(req), req.encoding);
    const parsed = parseCsv(decoded.text);
    return {
      encoding: decoded.encoding,
      delimiter: parsed.delimiter,
      headers: parsed.headers,
      suggestedMapping: suggestMapping(parsed.headers),
      sampleRows: parsed.rows.slice(0, 10).map((r) => r.cells),
      rowCount: parsed.rows.length,
    };
  }

  /** Imports an API request (base64 content or an upload) and answers when done. */
  async importRequest(input: unknown): Promise<CsvImportReport> {
    const req = csvImportRequestSchema.parse(input);
    return this.importBytes(this.source(req), { encoding: req.encoding, mapping: req.mapping, dryRun: req.dryRun });
  }

  /** Imports CSV bytes; see the class comment. */
  async importBytes(bytes: Uint8Array, opts: CsvImportOptions = {}): Promise<CsvImportReport> {
    const decoded = decodeCsv(bytes, opts.encoding ?? 'auto');
    const parsed = parseCsv(decoded.text);
    const mapping = opts.mapping ?? suggestMapping(parsed.headers);
    for (const header of Object.keys(mapping)) {
      if (!parsed.headers.includes(header)) throw new AppError('INVALID_PAYLOAD', `The mapping names a column "${header}" that the file does not have`);
    }
    const mapped = new Set(Object.values(mapping).filter((f): f is CsvField => f !== null));
    if (!mapped.has('name') && !mapped.has('code')) {
      throw new AppError('INVALID_PAYLOAD', `Map a column to "name" (or to "code" to update existing customers). Columns: ${parsed.headers.join(', ')}`);
    }
    const dryRun = opts.dryRun ?? false;
    const repo = this.customers.repository;
    const report: CsvImportReport = { encoding: decoded.encoding, delimiter: parsed.delimiter, rows: parsed.rows.length, created: 0, updated: 0, rejected: 0, rejectedRows: [], dryRun };
    const reject = (row: CsvRejectedRow) => {
      report.rejected += 1;
      if (report.rejectedRows.length < CSV_REPORT_ROW_LIMIT) report.rejectedRows.push(row);
    };
    const seenCodes = new Map<string, number>();
    const started = this.clock.now();
    opts.onProgress?.(0, parsed.rows.length);

    for (let start = 0; start < parsed.rows.length; start += IMPORT_ROWS_PER_TRANSACTION) {
      if (opts.cancelled?.()) break;
      const chunk = parsed.rows.slice(start, start + IMPORT_ROWS_PER_TRANSACTION);
      const work = () => {
        for (const { line, cells } of chunk) {
          const { input, reasons } = rowToCustomer(parsed.headers, cells, mapping);
          const code = typeof input.code === 'string' ? input.code : null;
          if (code !== null) {
            const first = seenCodes.get(code.toLowerCase());
            if (first !== undefined) reasons.push(`code "${code}" already appears on line ${first}`);
            else seenCodes.set(code.toLowerCase(), line);
          }
          if (reasons.length > 0) {
            reject({ line, code, reasons });
            continue;
          }
          const existing = code !== null ? repo.getByCode(code) : null;
          if (!existing && input.name === undefined) {
            reject({ line, code, reasons: ['name is required for a new customer'] });
            continue;
          }
          const merged: CustomerSaveInput = existing ? { ...customerToSaveInput(existing), ...input, id: existing.id, code: existing.code } : (input as CustomerSaveInput);
          try {
            const prepared = this.customers.prepare(merged);
            // Validation is complete here and write() refuses before its first write, so rows need
            // no savepoint of their own (FTS5 would flush its index at each one).
            if (!dryRun) this.customers.write(prepared, 'csv-import', existing);
            if (existing) report.updated += 1;
            else report.created += 1;
          } catch (err) {
            if (err instanceof AppError && (err.code === 'INVALID_PAYLOAD' || err.code === 'CONFLICT')) reject({ line, code, reasons: issuesOf(err) });
            else throw err;
          }
        }
      };
      if (dryRun) work();
      else repo.transaction(work);
      opts.onProgress?.(Math.min(parsed.rows.length, start + IMPORT_ROWS_PER_TRANSACTION), parsed.rows.length);
      await this.pause();
    }
    this.logger.info('csv import finished', {
      rows: report.rows,
      created: report.created,
      updated: report.updated,
      rejected: report.rejected,
      encoding: report.encoding,
      dryRun,
      cancelled: opts.cancelled?.() ?? false,
      ms: this.clock.now() - started,
    });
    return report;
  }

  /**
   * Exports customers as CSV. Without a query every customer matching the filters is exported (the
   * table is walked in pages, yielding between them); with a query, the search's capped match set.
   */
  async exportCsv(input: unknown): Promise<CsvExport> {
    const req = csvExportRequestSchema.parse(input ?? {});
    const repo = this.customers.repository;
    const rows: string[][] = [];
    if (req.query.trim() === '') {
      const cutoff = dormantCutoff(this.clock.now(), this.dormantDays());
      let after = 0;
      for (;;) {
        const ids = repo.idsAfter(req.filters, cutoff, after, 1000);
        if (ids.length === 0) break;
        for (const id of ids) {
          const c = repo.get(id);
          if (c) rows.push(customerToRow(c));
        }
        after = ids[ids.length - 1] ?? after;
        await this.pause();
      }
    } else {
      for (let offset = 0; offset < SEARCH_MATCH_CAP; offset += 200) {
        const page = this.customers.search({ query: req.query, filters: req.filters, limit: 200, offset });
        for (const item of page.items) {
          const c = repo.get(item.id);
          if (c) rows.push(customerToRow(c));
        }
        if (offset + 200 >= page.total) break;
      }
    }
    const stamp = new Date(this.clock.now()).toISOString().replace(/[-:]/g, '').slice(0, 13);
    this.logger.info('csv export finished', { rows: rows.length, encoding: req.encoding });
    return { fileName: `customers-${stamp}.csv`, bytes: encodeCsv(stringifyRows(rows, true), req.encoding), rows: rows.length };
  }
}
