import { Modal, Table, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { liveCalls, ringingInbound, usePhoneStore } from '../stores/phoneStore';
import { findShortcut, type Shortcut } from './shortcuts';

/** The phone's shortcuts: they act on the call that matters now (the ringing one, the active one). */
function phoneShortcuts(): Shortcut[] {
  const phone = () => usePhoneStore.getState().phone;
  const run = usePhoneStore.getState().run;
  const active = () => liveCalls(phone()).find((c) => c.state === 'active' || c.state === 'held');
  return [
    {
      id: 'answer',
      keys: 'Alt+A',
      labelKey: 'shortcuts.answer',
      run: () => {
        const call = ringingInbound(phone())[0];
        if (!call) return false;
        void run((api) => api.call.answer({ callId: call.id }));
      },
    },
    {
      id: 'hangup',
      keys: 'Alt+H',
      labelKey: 'shortcuts.hangup',
      run: () => {
        const call = liveCalls(phone()).find((c) => c.state === 'active') ?? liveCalls(phone()).find((c) => c.direction === 'outbound');
        if (!call) return false;
        void run((api) => api.call.hangup({ callId: call.id }));
      },
    },
    {
      id: 'hold',
      keys: 'Alt+D',
      labelKey: 'shortcuts.hold',
      run: () => {
        const call = active();
        if (!call) return false;
        void run((api) => (call.state === 'held' ? api.call.resume({ callId: call.id }) : api.call.hold({ callId: call.id })));
      },
    },
    {
      id: 'mute',
      keys: 'Alt+M',
      labelKey: 'shortcuts.mute',
      run: () => {
        const call = active();
        if (!call) return false;
        void run((api) => api.call.mute({ callId: call.id, muted: !call.muted }));
      },
    },
    {
      id: 'transfer',
      keys: 'Alt+T',
      labelKey: 'shortcuts.transfer',
      run: () => {
        const call = liveCalls(phone()).find((c) => c.state === 'active');
        if (!call) return false;
        usePhoneStore.getState().openTransfer(call.id);
        // The agent types the target next: focus leaves wherever it was (e.g. the search box).
        focusWhenShown('.ant-popover:not(.ant-popover-hidden) [data-testid=transfer-target]');
      },
    },
    {
      id: 'dial',
      keys: 'Alt+K',
      labelKey: 'shortcuts.dial',
      run: () => document.querySelector<HTMLInputElement>('[data-testid=dial-input]')?.focus(),
    },
  ];
}

/**
 * Focuses the element matching `selector` as soon as it is on screen (a popover renders a frame
 * after the click that opens it); gives up after about a second.
 */
export function focusWhenShown(selector: string, attempts = 60): void {
  const el = document.querySelector<HTMLElement>(selector);
  if (el) {
    el.focus();
    return;
  }
  if (attempts > 0) setTimeout(() => focusWhenShown(selector, attempts - 1), 16);
}

/** Extra shortcuts registered by features (agent state, wrap-up, tickets). */
const extra: Shortcut[] = [];
/** Lets a feature add its shortcuts; returns a remover. */
export function registerShortcuts(list: Shortcut[]): () => void {
  extra.push(...list);
  return () => list.forEach((s) => extra.splice(extra.indexOf(s), 1));
}

/** Installs the global shortcuts and renders the help overlay (F1 or Shift+?). */
export function ShortcutLayer() {
  const { t } = useTranslation();
  const [help, setHelp] = useState(false);
  const base = useMemo(phoneShortcuts, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F1' || (e.key === '?' && e.shiftKey && !(e.target instanceof HTMLInputElement) && !(e.target instanceof HTMLTextAreaElement))) {
        e.preventDefault();
        setHelp((h) => !h);
        return;
      }
      const s = findShortcut([...base, ...extra], e);
      if (!s) return;
      if (s.run() !== false) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [base]);
  const rows = [...base, ...extra, { id: 'help', keys: 'F1', labelKey: 'shortcuts.help', run: () => undefined }];
  return (
    <Modal open={help} onCancel={() => setHelp(false)} footer={null} title={t('shortcuts.title')} data-testid="shortcuts-help">
      {/* A focusable region: the list scrolls on small screens, and keyboard users can scroll it too. */}
      <div tabIndex={0} role="region" aria-label={t('shortcuts.title')} className="cd-shortcut-list" data-testid="shortcut-list">
        <Table
          size="small"
          pagination={false}
          rowKey="id"
          dataSource={rows}
          columns={[
            { title: t('shortcuts.keys'), dataIndex: 'keys', width: 120, render: (k: string) => <Typography.Text keyboard>{k}</Typography.Text> },
            { title: t('shortcuts.action'), dataIndex: 'labelKey', render: (k: string) => t(k) },
          ]}
        />
      </div>
    </Modal>
  );
}
