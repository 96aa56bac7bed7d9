import type { TFunction } from 'i18next';
import type { CallSnapshot, PhoneState } from '../../../shared/phone/call';
import type { SyncState } from '../../../shared/sync/api';

/** Something a screen reader should say; `urgent` ones interrupt (a ringing call). */
export interface Announcement {
  text: string;
  urgent: boolean;
}

function callerName(call: CallSnapshot, t: TFunction): string {
  return call.remote.displayName || call.remote.number || t('phone.anonymous');
}

/**
 * What changed between two phone snapshots, as sentences: a new ringing inbound call (urgent, with
 * the Answer shortcut) and every later state change of a call (answered, held, ended...).
 */
export function phoneAnnouncements(before: PhoneState | null, after: PhoneState | null, t: TFunction): Announcement[] {
  const previous = new Map((before?.calls ?? []).map((c) => [c.id, c.state]));
  const out: Announcement[] = [];
  for (const call of after?.calls ?? []) {
    const was = previous.get(call.id);
    if (was === call.state) continue;
    if (call.state === 'ringing' && call.direction === 'inbound') out.push({ text: t('announce.ringing', { name: callerName(call, t) }), urgent: true });
    else if (was !== undefined || call.state !== 'ended') out.push({ text: t('announce.callState', { name: callerName(call, t), state: t(`phone.state.${call.state}`) }), urgent: false });
  }
  return out;
}

/** A sync problem worth saying: the link to the central server went offline, or its error changed while offline. */
export function syncAnnouncement(before: SyncState | null, after: SyncState | null, t: TFunction): Announcement | null {
  if (!after || after.connection !== 'offline') return null;
  if (before?.connection === 'offline' && before.lastError === after.lastError) return null;
  return { text: t('announce.syncOffline', { message: after.lastError ?? t('sync.connection.offline') }), urgent: false };
}
