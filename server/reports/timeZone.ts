import { checkTimeZone } from '../../shared/kpi/buckets';

/**
 * The centre's time zone for "today" and report periods: `CALLDESK_TIME_ZONE` (an IANA name such
 * as `Asia/Shanghai`), else the server's own zone. An unknown name stops the server with a clear error.
 */
export function centreTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const tz = env.CALLDESK_TIME_ZONE?.trim() || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  checkTimeZone(tz);
  return tz;
}
