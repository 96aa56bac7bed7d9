import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import type { CalldeskApi } from '../../../shared/api/client';
import type { CallSnapshot, PhoneState } from '../../../shared/phone/call';
import { matches } from '../../../renderer/app/shortcuts';
import { ShortcutLayer } from '../../../renderer/app/useShortcuts';
import { CallCard } from '../../../renderer/features/phone/CallCard';
import { createI18n } from '../../../renderer/i18n/i18n';
import { usePhoneStore } from '../../../renderer/stores/phoneStore';
import { useAgentStore } from '../../../renderer/stores/agentStore';
import { AgentShortcuts } from '../../../renderer/features/agent/AgentShortcuts';

const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({ key: k, code: `Key${k.toUpperCase()}`, altKey: false, ctrlKey: false, shiftKey: false, metaKey: false, ...mods });

describe('shortcut matching', () => {
  it('matches modifiers exactly and the physical key (macOS Alt letters)', () => {
    expect(matches(key('a', { altKey: true }), 'Alt+A')).toBe(true);
    expect(matches({ ...key('å', { altKey: true }), code: 'KeyA' }, 'Alt+A')).toBe(true);
    expect(matches(key('a'), 'Alt+A')).toBe(false);
    expect(matches(key('a', { altKey: true, ctrlKey: true }), 'Alt+A')).toBe(false);
  });
});

describe('ShortcutLayer', () => {
  it('Alt+A answers the ringing call and F1 opens the list of shortcuts', async () => {
    const ringing = { id: 'c1', state: 'ringing', direction: 'inbound', muted: false, times: { created: 1, holds: [] } } as unknown as CallSnapshot;
    const answer = vi.fn(async () => ({ ok: true as const, value: ringing }));
    const api = { call: { answer }, phone: { state: async () => ({ ok: false }), onState: () => () => undefined } } as unknown as CalldeskApi;
    usePhoneStore.getState().attach(api);
    usePhoneStore.setState({ phone: { calls: [ringing] } as unknown as PhoneState });
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <ShortcutLayer />
      </I18nextProvider>,
    );
    fireEvent.keyDown(window, { key: 'a', code: 'KeyA', altKey: true });
    expect(answer).toHaveBeenCalledWith({ callId: 'c1' });
    await act(async () => {
      fireEvent.keyDown(window, { key: 'F1', code: 'F1' });
    });
    expect(await screen.findByText('Answer the ringing call')).toBeTruthy();
  });

  it('Alt+T opens the transfer of the active call and puts the focus in its target box (not left in the search box)', async () => {
    const active = { id: 'c2', state: 'active', direction: 'inbound', muted: false, remote: { number: '+8613800138000', displayName: '' }, headers: {}, times: { created: 1, answered: 2, holds: [] } } as unknown as CallSnapshot;
    const noop = () => undefined;
    const actions = { answer: noop, reject: noop, hangup: noop, hold: noop, resume: noop, mute: noop, dtmf: noop, transferBlind: noop, consult: noop, transferTo: noop, swap: noop };
    usePhoneStore.setState({ phone: { calls: [active] } as unknown as PhoneState });
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <input data-testid="customer-search" />
        <CallCard call={active} others={[]} actions={actions} />
        <ShortcutLayer />
      </I18nextProvider>,
    );
    const search = screen.getByTestId('customer-search');
    search.focus();
    await act(async () => {
      fireEvent.keyDown(search, { key: 't', code: 'KeyT', altKey: true });
    });
    const target = await screen.findByTestId('transfer-target');
    await vi.waitFor(() => expect(document.activeElement).toBe(target));
  });

  it('Alt+T opens the transfer box of the active call through the phone store (no button to click on screen)', async () => {
    const active = { id: 'c3', state: 'active', direction: 'inbound', muted: false, remote: { number: '1002', displayName: '' }, headers: {}, times: { created: 1, answered: 2, holds: [] } } as unknown as CallSnapshot;
    usePhoneStore.setState({ phone: { calls: [active] } as unknown as PhoneState, transferFor: null });
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <ShortcutLayer />
      </I18nextProvider>,
    );
    await act(async () => {
      fireEvent.keyDown(window, { key: 't', code: 'KeyT', altKey: true });
    });
    expect(usePhoneStore.getState().transferFor).toBe('c3');
  });

  it('Alt+W submits the wrap-up form through the agent store (no button to click on screen)', async () => {
    const submit = vi.fn();
    useAgentStore.setState({ submitWrapUpForm: submit });
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <AgentShortcuts />
        <ShortcutLayer />
      </I18nextProvider>,
    );
    await act(async () => {
      fireEvent.keyDown(window, { key: 'w', code: 'KeyW', altKey: true });
    });
    expect(submit).toHaveBeenCalledTimes(1);
    useAgentStore.setState({ submitWrapUpForm: null });
  });
});

describe('shortcuts call actions', () => {
  it('no renderer code clicks an element it looked up in the DOM (shortcuts call store and API actions)', () => {
    const root = join(__dirname, '../../../renderer');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.tsx?$/.test(name)) {
          const text = readFileSync(path, 'utf8');
          if (/querySelector[^;]*\)\s*(\?\.|\.)\s*click\(\)/.test(text) || /\b(button|el|element|target)\??\.click\(\)/.test(text)) offenders.push(path);
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
