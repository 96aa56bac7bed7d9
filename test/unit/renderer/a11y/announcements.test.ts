import { describe, expect, it } from 'vitest';
import { phoneAnnouncements, syncAnnouncement } from '../../../../renderer/features/a11y/announcements';
import { createI18n } from '../../../../renderer/i18n/i18n';
import type { CallSnapshot, PhoneState } from '../../../../shared/phone/call';
import type { SyncState } from '../../../../shared/sync/api';

const i18n = createI18n('en-US');
const t = i18n.t.bind(i18n);
const call = (state: string, over: Partial<CallSnapshot> = {}) =>
  ({ id: 'c1', direction: 'inbound', state, remote: { number: '+8613800138000', displayName: '张伟' }, ...over }) as unknown as CallSnapshot;
const phone = (...calls: CallSnapshot[]) => ({ calls }) as unknown as PhoneState;
const sync = (over: Partial<SyncState>) => ({ connection: 'online', lastError: null, ...over }) as SyncState;

describe('what the live regions say', () => {
  it('a new ringing inbound call is urgent and names the caller and Alt+A', () => {
    expect(phoneAnnouncements(phone(), phone(call('ringing')), t)).toEqual([{ text: 'Incoming call from 张伟. Press Alt+A to answer.', urgent: true }]);
  });
  it('later state changes are polite; an unchanged snapshot says nothing', () => {
    expect(phoneAnnouncements(phone(call('ringing')), phone(call('active')), t)).toEqual([{ text: 'Call with 张伟: Talking.', urgent: false }]);
    expect(phoneAnnouncements(phone(call('active')), phone(call('ended')), t)).toEqual([{ text: 'Call with 张伟: Ended.', urgent: false }]);
    expect(phoneAnnouncements(phone(call('active')), phone(call('active')), t)).toEqual([]);
  });
  it('a withheld caller is named as such', () => {
    expect(phoneAnnouncements(null, phone(call('ringing', { remote: { number: '', displayName: '' } as CallSnapshot['remote'] })), t)[0]!.text).toBe('Incoming call from Withheld number. Press Alt+A to answer.');
  });
  it('a sync error is said when the server goes offline or the error changes, not again while unchanged', () => {
    expect(syncAnnouncement(sync({}), sync({ connection: 'offline', lastError: 'connect ECONNREFUSED' }), t)?.text).toBe('Central server offline: connect ECONNREFUSED');
    expect(syncAnnouncement(sync({ connection: 'offline', lastError: 'x' }), sync({ connection: 'offline', lastError: 'x' }), t)).toBeNull();
    expect(syncAnnouncement(sync({ connection: 'offline', lastError: 'x' }), sync({ connection: 'offline', lastError: 'y' }), t)?.text).toBe('Central server offline: y');
    expect(syncAnnouncement(sync({ connection: 'offline' }), sync({ connection: 'online' }), t)).toBeNull();
  });
});
