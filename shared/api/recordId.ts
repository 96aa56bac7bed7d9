import { z } from 'zod';

/** Schema of requests naming one record by id (`interaction:get`, `ticket:get`). */
export const recordIdSchema = z.object({ id: z.string().min(1).max(100) });
