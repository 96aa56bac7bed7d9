import {
  invokeChannels,
  isInvokeChannel,
  type InvokeHandlers,
} from '../../../shared/api/contract';
import { fail, ok, toApiError, type Result } from '../../../shared/api/result';
import { cleanValue } from '../../../shared/sync/safeValues';
import type { Logger } from '../log/logger';

/** Who is calling, for logs. */
export interface InvokeMeta {
  transport: 'ipc' | 'ws';
  client?: string;
}

/** Validates and routes invoke calls; shared by every transport. Never throws. */
export interface Dispatcher {
  invoke(channel: string, payload: unknown, meta: InvokeMeta): Promise<Result<unknown>>;
}

/** Builds the dispatcher over the core's handler map. */
export function createDispatcher(handlers: InvokeHandlers, logger: Logger): Dispatcher {
  return {
    async invoke(channel, payload, meta) {
      if (!isInvokeChannel(channel)) {
        logger.warn('unknown channel', { channel: String(channel).slice(0, 100), transport: meta.transport });
        return fail('UNKNOWN_CHANNEL', `Unknown channel "${String(channel).slice(0, 100)}"`);
      }
      // Text that cannot round-trip (NUL, lone surrogates) is cleaned before validation, so no
      // store or server ever gets it (shared/sync/safeValues.ts); non-finite numbers fail the schemas.
      const parsed = invokeChannels[channel].request.safeParse(cleanValue(payload));
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
        logger.warn('invalid payload', { channel, transport: meta.transport, issues });
        return fail('INVALID_PAYLOAD', `Invalid payload for ${channel}: ${issues.join('; ')}`, { issues });
      }
      try {
        const handler = handlers[channel] as (p: unknown) => unknown;
        return ok(await handler(parsed.data));
      } catch (err) {
        const error = toApiError(err);
        if (error.code === 'INTERNAL') logger.error('handler failed', { channel, error: err as Error });
        else logger.info('handler refused', { channel, code: error.code });
        return { ok: false, error };
      }
    },
  };
}
