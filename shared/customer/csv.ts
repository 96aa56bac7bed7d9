import { z } from 'zod';
import { ERROR_CODES } from '../api/result';
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

/**
 * Bytes per `customer:csv-upload-chunk` (before base64). A large file travels as an upload of such
 * chunks, each far below any transport's message cap (the browser host's WebSocket takes 1 MiB).
 */
export const CSV_UPLOAD_CHUNK_BYTES = 512 * 1024;

/** Schema of `customer:csv-upload-begin`: announces a file of `size` bytes. */
export const csvUploadBeginSchema = z.object({
  size: z.number().int().positive().max(CSV_MAX_BYTES, 'file is larger than 64 MB'),
});
/** Schema of an upload id (what begin answers and the other calls name). */
export const csvUploadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not an upload id');
/** Answer of `customer:csv-upload-begin` and `customer:csv-upload-chunk`: bytes the core holds so far. */
export const csvUploadStateSchema = z.object({ uploadId: csvUploadIdSchema, size: z.number().int().nonnegative(), received: z.number().int().nonnegative() });
/** State of an upload. */
export type CsvUploadState = z.infer<typeof csvUploadStateSchema>;
/** Schema of `customer:csv-upload-chunk`: the bytes at `offset` (chunks go in order). */
export const csvUploadChunkSchema = z.object({
  uploadId: csvUploadIdSchema,
  offset: z.number().int().nonnegative(),
  contentBase64: z
    .string()
    .max(Math.ceil((CSV_UPLOAD_CHUNK_BYTES * 4) / 3) + 4, 'chunk is larger than 512 KiB')
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});

/** A file given inline (small files) or as a finished upload. */
const csvSourceShape = { contentBase64: base64.optional(), uploadId: csvUploadIdSchema.optional() };
const oneSource = (v: { contentBase64?: string | undefined; uploadId?: string | undefined }) => (v.contentBase64 === undefined) !== (v.uploadId === undefined);
const oneSourceMessage = { message: 'give either contentBase64 or uploadId' };

/** Schema of `customer:preview-csv`: read the header and a few rows to build the mapping screen. */
export const csvPreviewRequestSchema = z
  .object({
    ...csvSourceShape,
    encoding: z.enum(CSV_IMPORT_ENCODINGS).default('auto'),
  })
  .refine(oneSource, oneSourceMessage);

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

const importOptionsShape = {
  encoding: z.enum(CSV_IMPORT_ENCODINGS).default('auto'),
  mapping: csvMappingSchema.optional(),
  /** Validate and report without writing anything. */
  dryRun: z.boolean().default(false),
};

/** Schema of `customer:import-csv` (answers when done). Without a mapping the suggested one is used. */
export const csvImportRequestSchema = z.object({ ...csvSourceShape, ...importOptionsShape }).refine(oneSource, oneSourceMessage);
/** An import request. */
export type CsvImportRequest = z.input<typeof csvImportRequestSchema>;

/** Schema of `customer:import-start`: an import of an upload as a job (progress events, cancel). */
export const csvImportStartSchema = z.object({ uploadId: csvUploadIdSchema, ...importOptionsShape });
/** Schema of requests naming an import job. */
export const csvImportJobIdSchema = z.object({ jobId: z.string().min(1).max(64) });

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

/**
 * States of an import job:
 * ```
 *   running --(all rows)--> done
 *      |------(cancel)----> cancelled   (rows written before the cancel stay, the report says how many)
 *      +------(error)-----> failed      (unreadable file, bad mapping: nothing written)
 * ```
 */
export const CSV_IMPORT_JOB_STATES = ['running', 'done', 'cancelled', 'failed'] as const;

/** Schema of an import job (`customer:import-start` answer, `customer:import-progress` event). */
export const csvImportJobSchema = z.object({
  jobId: z.string(),
  state: z.enum(CSV_IMPORT_JOB_STATES),
  /** Rows handled so far ("done of total rows"). */
  done: z.number().int().nonnegative(),
  /** Data rows in the file; 0 until the file is read. */
  total: z.number().int().nonnegative(),
  dryRun: z.boolean(),
  /** When done or cancelled: what was written and every rejected row. */
  report: csvImportReportSchema.nullable(),
  /** When failed: why. */
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).nullable(),
});
/** An import job. */
export type CsvImportJob = z.infer<typeof csvImportJobSchema>;

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
