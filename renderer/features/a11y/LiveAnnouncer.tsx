import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePhoneStore } from '../../stores/phoneStore';
import { useSyncStore } from '../../stores/syncStore';
import { phoneAnnouncements, syncAnnouncement, type Announcement } from './announcements';

/**
 * Two visually hidden live regions: `assertive` for a ringing call (with the Alt+A hint), `polite`
 * for call state changes and sync problems. Screen readers read what is written into them.
 */
export function LiveAnnouncer() {
  const { t } = useTranslation();
  const [urgent, setUrgent] = useState('');
  const [polite, setPolite] = useState('');
  useEffect(() => {
    const say = (list: Announcement[]) => {
      const u = list.filter((a) => a.urgent).map((a) => a.text);
      const p = list.filter((a) => !a.urgent).map((a) => a.text);
      if (u.length) setUrgent(u.join(' '));
      if (p.length) setPolite(p.join(' '));
    };
    const offPhone = usePhoneStore.subscribe((s, prev) => {
      if (s.phone !== prev.phone) say(phoneAnnouncements(prev.phone, s.phone, t));
    });
    const offSync = useSyncStore.subscribe((s, prev) => {
      if (s.sync === prev.sync) return;
      const a = syncAnnouncement(prev.sync, s.sync, t);
      if (a) say([a]);
    });
    return () => {
      offPhone();
      offSync();
    };
  }, [t]);
  return (
    <>
      <div className="cd-visually-hidden" role="alert" aria-live="assertive" aria-atomic="true" data-testid="live-urgent">
        {urgent}
      </div>
      <div className="cd-visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="live-polite">
        {polite}
      </div>
    </>
  );
}
