import { z } from 'zod';
import { customerFiltersSchema } from './schema';

/**
 * CSV import and export of customers: the fields a column can map to, and the request and report
 * shapes of `customer:import-csv`, `customer:preview-csv` and `customer:export-csv`.
 */

/** Customer fields a CSV column can map to. Several columns may map to one phone or email field. */
export const CSV_FIELDS = [
  'code',
  'name',
  'company',
  'type',
  'status',
  'level',
  'source',
  'creditRating',
  'points',
  'ownerId',
  'tags',
  'birthday',
  'preferredLanguage',
  'preferences',
  'notes',
  'allowCall',
  'allowSms',
  'allowEmail',
  'lifetimeValue',
  'lifecycleStage',
  'lastContactAt',
  'mobile',
  'workPhone',
  'homePhone',
  'fax',
  'otherPhone',
  'email',
  'addressLine1',
  'addressLine2',
  'city',
  'region',
  'postalCode',
  'country',
] as const;
/** A field a CSV column can map to. */
export type CsvField = (typeof CSV_FIELDS)[number];

/** Text encodings the import understands; `auto` detects UTF-8 (with or without BOM), UTF-16 or GB18030. */
export const CSV_IMPORT_ENCODINGS = ['auto', 'utf-8', 'gb18030', 'utf-16le', 'utf-16be'] as const;
/** Encodings the export writes: `utf-8-bom` opens correctly in Excel, `gb18030` in older Chinese Excel. */
export const CSV_EXPORT_ENCODINGS = ['utf-8-bom', 'utf-8', 'gb18030'] as const;

/** Column mapping: CSV header -> field, or null to ignore the column. */
export const csvMappingSchema = z.record(z.string().max(200), z.enum(CSV_FIELDS).nullable());
/** Column mapping. */
export type CsvMapping = z.infer<typeof csvMappingSchema>;

/** Largest CSV accepted through the API, in bytes (base64 is a third larger). */
export const CSV_MAX_BYTES = 64 * 1024 * 1024;

const base64 = z
  .string()
  .max(Math.ceil((CSV_MAX_BYTES * 4) / 3) + 4, 'file is larger than 64 MB')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

/** Schema of `customer:preview-csv`: read the header and a few rows to build the mapping screen. */
export const csvPreviewRequestSchema = z.object({
  contentBase64: base64,
  encoding: z.enum(CSV_IMPORT_ENCODINGS).default('auto'),
});

/** Schema of the preview answer. */
export const csvPreviewSchema = z.object({
  encoding: z.string(),
  delimiter: z.string(),
  headers: z.array(z.string()),
  suggestedMapping: csvMappingSchema,
  sampleRows: z.array(z.array(z.string())),
  rowCount: z.number().int().nonnegative(),
});
/** What the mapping screen shows. */
export type CsvPreview = z.infer<typeof csvPreviewSchema>;

/** Schema of `customer:import-csv`. Without a mapping the suggested one is used. */
export const csvImportRequestSchema = z.object({
  contentBase64: base64,
  encoding: z.enum(CSV_IMPORT_ENCODINGS).default('auto'),
  mapping: csvMappingSchema.optional(),
  /** Validate and report without writing anything. */
  dryRun: z.boolean().default(false),
});
/** An import request. */
export type CsvImportRequest = z.input<typeof csvImportRequestSchema>;

/** One rejected row: its line in the file (header = line 1), its code if any, and why. */
export const csvRejectedRowSchema = z.object({
  line: z.number().int().positive(),
  code: z.string().nullable(),
  reasons: z.array(z.string()),
});
/** One rejected row. */
export type CsvRejectedRow = z.infer<typeof csvRejectedRowSchema>;

/** Most rejected rows listed one by one in a report; `rejected` still counts them all. */
export const CSV_REPORT_ROW_LIMIT = 1000;

/** Schema of the import report. */
export const csvImportReportSchema = z.object({
  encoding: z.string(),
  delimiter: z.string(),
  rows: z.number().int().nonnegative(),
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  rejectedRows: z.array(csvRejectedRowSchema),
  dryRun: z.boolean(),
});
/** The import report. */
export type CsvImportReport = z.infer<typeof csvImportReportSchema>;

/** Schema of `customer:export-csv`: the customers a search would find (all when empty). */
export const csvExportRequestSchema = z.object({
  query: z.string().max(200).default(''),
  filters: customerFiltersSchema.default({}),
  encoding: z.enum(CSV_EXPORT_ENCODINGS).default('utf-8-bom'),
});
/** Schema of the export answer. */
export const csvExportResultSchema = z.object({
  fileName: z.string(),
  contentBase64: z.string(),
  rows: z.number().int().nonnegative(),
});
/** The export answer. */
export type CsvExportResult = z.infer<typeof csvExportResultSchema>;
