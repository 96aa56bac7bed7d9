import type { TFunction } from 'i18next';
import { assertNever, type ApiError } from '../../../shared/api/result';
import type { SyncState } from '../../../shared/sync/api';
import { apiErrorText } from '../../components/apiErrors';

/** Status bar tone of the server link. */
export type SyncTone = 'success' | 'processing' | 'warning' | 'error';

/** The tone of the server item: green online, blue while connecting or downloading, red offline, orange signed out or unconfigured. */
export function syncTone(sync: SyncState): SyncTone {
  switch (sync.connection) {
    case 'online':
      return sync.pull ? 'processing' : 'success';
    case 'connecting':
      return 'processing';
    case 'offline':
      return 'error';
    case 'signed-out':
    case 'disabled':
      return 'warning';
    default:
      return assertNever(sync.connection);
  }
}

/** Wall-clock time as HH:mm:ss in the UI language. */
export function clockTime(at: number, language: string): string {
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(at);
}

/** Date and time of the last sync in the UI language. */
export function syncTime(at: number, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' }).format(at);
}

/** The connection as text: "Online", "Offline — retrying at 14:03:12", "Signed out", ... */
export function connectionText(sync: SyncState, t: TFunction, language: string): string {
  if (sync.connection === 'offline' && sync.nextRetryAt !== null) return t('sync.retryingAt', { time: clockTime(sync.nextRetryAt, language) });
  return t(`sync.connection.${sync.connection}`);
}

/** The status bar text: the connection, plus the outbox depth when changes wait ("Offline · 3 waiting to sync"). */
export function statusText(sync: SyncState, t: TFunction, language: string): string {
  const connection = connectionText(sync, t, language);
  return sync.outboxDepth > 0 ? `${connection} · ${t('sync.waiting', { n: sync.outboxDepth })}` : connection;
}

/** The text of a refused sign-in, sign-out or retry: sync-specific wording when there is one. */
export function syncErrorText(error: ApiError, t: TFunction): string {
  const specific = t(`sync.errors.${error.code}`, { defaultValue: '' });
  return specific || apiErrorText(error, t);
}
