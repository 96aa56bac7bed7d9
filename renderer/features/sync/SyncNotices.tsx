import { notification } from 'antd';
import { useEffect } from 'react';
import type { SyncNotice } from '../../../shared/sync/api';
import { useSyncStore } from '../../stores/syncStore';
import { Translated } from '../../components/Translated';

/** The text of one notice: what the server decided, about which record. */
export function noticeText(n: SyncNotice, t: (key: string, opts?: Record<string, unknown>) => string): { title: string; body: string } {
  const what = n.subject ?? n.id.slice(0, 8);
  const fields = n.fields.map((f) => t(`sync.notice.field.${f}`, { defaultValue: f })).join(t('sync.notice.separator'));
  switch (n.kind) {
    case 'conflict':
      return { title: t('sync.notice.conflict.title', { what }), body: t('sync.notice.conflict.body', { fields }) };
    case 'rejected':
      return { title: t('sync.notice.rejected.title', { what }), body: t(`sync.notice.reason.${n.reason ?? 'invalid'}`, { defaultValue: n.reason ?? '' }) };
    case 'assigned':
      return { title: t('sync.notice.assigned.title'), body: what };
  }
}

/** Shows what the central server decided (a change that lost, a refusal, an assignment) as notifications. */
export function SyncNotices() {
  const [api, holder] = notification.useNotification({ placement: 'bottomRight', maxCount: 5 });
  const count = useSyncStore((s) => s.notices.length);
  useEffect(() => {
    if (count === 0) return;
    for (const n of useSyncStore.getState().takeNotices()) {
      const open = n.kind === 'assigned' ? api.info : api.warning;
      open({ title: <Translated text={(tr) => noticeText(n, tr).title} />, description: <Translated text={(tr) => noticeText(n, tr).body} />, duration: n.kind === 'assigned' ? 6 : 10, props: { 'data-testid': 'sync-notice', 'data-kind': n.kind } as object });
    }
  }, [count, api]);
  return holder;
}
