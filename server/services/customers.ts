import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { AppError } from '../../shared/api/result';
import { CSV_FIELDS, type CsvMapping } from '../../shared/customer/csv';
import { customerFieldsSchema, customerCodeSchema, type Customer } from '../../shared/customer/schema';
import { toE164 } from '../../shared/phone-number';
import type { Db } from '../db/db';
import type { Principal } from '../auth/tokens';
import { stampChanges, Touched } from './changes';
import type { ConfigService } from './configService';
import { Visibility } from './scope';
import { rowToCustomer, suggestMapping } from '../../shared/customer/csvRows';

/** A customers row. */
export interface CustomerRow {
  id: number;
  code: string;
  name: string;
  owner_id: string | null;
  record: Record<string, unknown>;
  version: number;
  created_at: number;
  updated_at: number;
}

/** The shared customer shape of a row (`serverVersion` is the server's version). */
export function customerRowToRecord(r: CustomerRow): Customer {
  return {
    ...(r.record as Omit<Customer, 'id' | 'code' | 'serverVersion' | 'revision' | 'createdAt' | 'updatedAt'>),
    id: Number(r.id),
    code: r.code,
    serverVersion: r.version,
    revision: 0,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** Schema of `POST /admin/customers/import`: CSV text and an optional column mapping. */
export const customerImportSchema = z.object({
  csv: z.string().min(1).max(64 * 1024 * 1024),
  /** CSV header -> field (null to ignore). Default: headers named like the fields (our export). */
  mapping: z.record(z.string().max(200), z.enum(CSV_FIELDS).nullable()).optional(),
  /** Region for phone numbers without a country code. */
  defaultRegion: z.string().length(2).default('CN'),
});

/** What an import did. */
export interface CustomerImportReport {
  total: number;
  created: number;
  updated: number;
  rejected: Array<{ row: number; reasons: string[] }>;
}


/**
 * Customer directory on the server: reads in the caller's scope and the admin CSV import.
 *
 * The import follows the desktop's CSV rules where they are pure data rules: the same field names
 * (`shared/customer/csv.ts`, so a desktop export imports unchanged), the same validation
 * (`customerFieldsSchema`) and the same E.164 phone keys. The desktop's value readers (localised
 * enum labels, date formats, encodings) live in `electron/core/customer/customerCsv.ts`, which the
 * server may not import; here enum cells must hold the machine values and the text must be UTF-8.
 */
export class CustomerService {
  constructor(
    private readonly db: Db,
    private readonly config: ConfigService,
    private readonly now: () => number = Date.now,
  ) {}

  /** One customer; NOT_FOUND when unknown, FORBIDDEN outside the caller's scope. */
  async get(p: Principal, id: number): Promise<Customer> {
    const { rows } = await this.db.query<CustomerRow>('SELECT * FROM customers WHERE id = $1', [id]);
    const r = rows[0];
    if (!r) throw new AppError('NOT_FOUND', `No customer ${id}`);
    const vis = await Visibility.of(p, await this.config.scopes(), this.db);
    if (!vis.customer(r.owner_id)) throw new AppError('FORBIDDEN', 'This customer is outside your scope');
    return customerRowToRecord(r);
  }

  /** Customers in the caller's scope whose name or code contains `q`, by name. */
  async search(p: Principal, q: string, limit: number): Promise<Customer[]> {
    const vis = await Visibility.of(p, await this.config.scopes(), this.db);
    const cond = vis.customerSql('owner_id', 3);
    const { rows } = await this.db.query<CustomerRow>(
      `SELECT * FROM customers WHERE (name ILIKE '%' || $1 || '%' OR code ILIKE '%' || $1 || '%') AND ${cond.sql} ORDER BY name, id LIMIT $2`,
      [escapeLike(q), limit, ...cond.params],
    );
    return rows.map(customerRowToRecord);
  }

  /** Imports CSV text: creates new codes, updates existing ones (all in one transaction). */
  async importCsv(input: z.input<typeof customerImportSchema>): Promise<CustomerImportReport> {
    const req = customerImportSchema.parse(input);
    let table: string[][];
    try {
      table = parse(req.csv.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
    } catch (err) {
      throw new AppError('INVALID_PAYLOAD', `The CSV cannot be read: ${(err as Error).message}`);
    }
    const [headers = [], ...body] = table;
    const mapping: CsvMapping = req.mapping ?? suggestMapping(headers);
    if (!Object.values(mapping).includes('name')) throw new AppError('INVALID_PAYLOAD', 'No column maps to the customer name');
    const report: CustomerImportReport = { total: body.length, created: 0, updated: 0, rejected: [] };
    const now = this.now();
    await this.db.transaction(async (tx) => {
      const touched = new Touched();
      for (const [i, cells] of body.entries()) {
        const { input: cellsAsFields, reasons } = rowToCustomer(headers, cells, mapping);
        const { code, ...fields } = cellsAsFields;
        // A row replaces the record: permissions not in the file are allowed, as for a new customer.
        if (fields.contactPermissions) fields.contactPermissions = Object.assign({ call: true, sms: true, email: true }, fields.contactPermissions);
        const parsed = customerFieldsSchema.safeParse(fields);
        const codeOk = code === undefined ? { success: true as const, data: undefined } : customerCodeSchema.safeParse(code);
        if (!parsed.success || !codeOk.success || reasons.length > 0) {
          const all = [...reasons];
          if (!parsed.success) all.push(...parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`));
          if (!codeOk.success) all.push(`code ${codeOk.error.issues[0]?.message ?? 'is invalid'}`);
          report.rejected.push({ row: i + 2, reasons: all });
          continue;
        }
        const f = parsed.data;
        const phones = f.phones.map((ph) => ({ raw: ph.raw, e164: toE164(ph.raw, { defaultRegion: req.defaultRegion }), extension: null, label: ph.label, primary: ph.primary }));
        const record = { ...f, phones };
        const finalCode = codeOk.data ?? `C${now.toString(36).toUpperCase()}${String(i + 1).padStart(6, '0')}`;
        const { rows } = await tx.query<{ id: number; inserted: boolean }>(
          `INSERT INTO customers (code, name, owner_id, record, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
           ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, owner_id = EXCLUDED.owner_id, record = EXCLUDED.record,
             version = customers.version + 1, updated_at = EXCLUDED.updated_at
           RETURNING id, (xmax = 0) AS inserted`,
          [finalCode, f.name, f.ownerId, JSON.stringify(record), now],
        );
        const row = rows[0]!;
        if (row.inserted) report.created++;
        else report.updated++;
        await tx.query('DELETE FROM customer_phones WHERE customer_id = $1', [row.id]);
        const keys = [...new Set(phones.map((ph) => ph.e164).filter((e): e is string => e !== null))];
        if (keys.length > 0) await tx.query('INSERT INTO customer_phones (customer_id, e164) SELECT $1, unnest($2::text[])', [row.id, keys]);
        touched.customers.add(Number(row.id));
      }
      await stampChanges(tx, touched);
    });
    return report;
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

