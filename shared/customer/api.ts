import { z } from 'zod';
import {
  csvExportRequestSchema,
  csvExportResultSchema,
  csvImportJobIdSchema,
  csvImportJobSchema,
  csvImportReportSchema,
  csvImportRequestSchema,
  csvImportStartSchema,
  csvPreviewRequestSchema,
  csvPreviewSchema,
  csvUploadBeginSchema,
  csvUploadChunkSchema,
  csvUploadStateSchema,
} from './csv';
import { incomingCallSnapshotSchema, popCallerSchema, popHeaderSchema, screenPopResultSchema } from './screenPop';
import {
  customerReassignSchema,
  customerSaveSchema,
  customerSchema,
  customerSearchResultSchema,
  customerSearchSchema,
  customerSummarySchema,
  ownerChangeSchema,
} from './schema';

/** Schema of requests naming one customer. */
export const customerIdSchema = z.object({ id: z.number().int().positive() });

/** Answer of `customer:reassign`: the updated customer and the recorded change. */
export const customerReassignResultSchema = z.object({ customer: customerSchema, change: ownerChangeSchema });

/** Schema of `customer:lookup-caller`: a plain number, or raw caller headers. */
export const lookupCallerRequestSchema = z
  .object({
    number: z.string().max(200).optional(),
    from: z.string().max(2000).optional(),
    pAssertedIdentity: z.union([z.string().max(2000), z.array(z.string().max(2000)).max(10)]).optional(),
    privacy: z.string().max(200).optional(),
  })
  .refine((v) => v.number !== undefined || v.from !== undefined || v.pAssertedIdentity !== undefined, 'give a number or caller headers');

/** Answer of `customer:lookup-caller`: the caller and the customers with that number (most recent first). */
export const lookupCallerResultSchema = z.object({ caller: popCallerSchema, matches: z.array(customerSummarySchema) });

/**
 * Schema of `customer:pop-choose`: the agent picked (chooser, search) or created the customer of a
 * call's pop. The core then treats the call as that customer's (call log, wrap-up, callbacks, last
 * contact) and re-emits the pop as their card. `caller` and `headers` are the pop's own.
 */
export const popChooseSchema = z.object({
  callId: z.string().min(1).max(200),
  customerId: z.number().int().positive(),
  caller: popCallerSchema,
  headers: z.array(popHeaderSchema).max(50).default([]),
});

/**
 * The customer invoke channels, merged into `invokeChannels` in `shared/api/contract.ts`.
 * `customer:screen-pop` is the manual pop; automatic pops arrive on the `customer:pop` event.
 * Large CSV files travel as uploads (`csv-upload-begin`, then `csv-upload-chunk` in order) and are
 * imported as jobs (`import-start`, progress on `customer:import-progress`, `import-cancel`).
 */
export const customerInvokeChannels = {
  'customer:search': { request: customerSearchSchema, response: customerSearchResultSchema },
  'customer:get': { request: customerIdSchema, response: customerSchema },
  'customer:save': { request: customerSaveSchema, response: customerSchema },
  'customer:reassign': { request: customerReassignSchema, response: customerReassignResultSchema },
  'customer:owner-history': { request: customerIdSchema, response: z.array(ownerChangeSchema) },
  'customer:lookup-caller': { request: lookupCallerRequestSchema, response: lookupCallerResultSchema },
  'customer:screen-pop': { request: incomingCallSnapshotSchema, response: screenPopResultSchema },
  'customer:pop-choose': { request: popChooseSchema, response: screenPopResultSchema },
  'customer:preview-csv': { request: csvPreviewRequestSchema, response: csvPreviewSchema },
  'customer:csv-upload-begin': { request: csvUploadBeginSchema, response: csvUploadStateSchema },
  'customer:csv-upload-chunk': { request: csvUploadChunkSchema, response: csvUploadStateSchema },
  'customer:import-csv': { request: csvImportRequestSchema, response: csvImportReportSchema },
  'customer:import-start': { request: csvImportStartSchema, response: csvImportJobSchema },
  'customer:import-status': { request: csvImportJobIdSchema, response: csvImportJobSchema },
  'customer:import-cancel': { request: csvImportJobIdSchema, response: csvImportJobSchema },
  'customer:export-csv': { request: csvExportRequestSchema, response: csvExportResultSchema },
} as const;

/**
 * The customer event channels: `customer:pop` carries every screen pop (ring, answer or manual);
 * `customer:import-progress` reports an import job (`customer:import-start`) as it goes and when
 * it ends. (Sync learns of committed changes from the core's outbox, not from a channel.)
 */
export const customerEventChannels = {
  'customer:pop': screenPopResultSchema,
  'customer:import-progress': csvImportJobSchema,
} as const;
