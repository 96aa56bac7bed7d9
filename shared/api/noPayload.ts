import { z } from 'zod';

/**
 * Payload schema of every channel that takes no argument (undefined over IPC, absent or null in
 * JSON). The one definition: domain `api.ts` files import it from here (not from `contract.ts`,
 * which imports them).
 */
export const noPayload = z.union([z.undefined(), z.null()]).transform(() => undefined);
