import { z } from 'zod';
import { customerInsightSchema } from './record';

/** The insight invoke channels, merged into `invokeChannels`. */
export const insightInvokeChannels = {
  /** A local customer's insight as last synced from the server (null: none yet). `customerId` is local. */
  'insight:get': {
    request: z.object({ customerId: z.number().int().positive() }),
    response: z.object({ insight: customerInsightSchema.nullable() }),
  },
} as const;
