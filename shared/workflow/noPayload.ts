import { z } from 'zod';

/** Payload schema for channels that take no argument (as `noPayload` in the contract; kept here to avoid an import cycle). */
export const noPayloadSchema = z.union([z.undefined(), z.null()]).transform(() => undefined);
