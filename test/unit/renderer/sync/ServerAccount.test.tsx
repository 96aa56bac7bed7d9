import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../../../shared/api/result';
import { SETTING_DEFAULTS, SETTING_KEYS } from '../../../../shared/settings/definitions';
import type { SyncState } from '../../../../shared/sync/api';
import { ServerAccount } from '../../../../renderer/features/settings/ServerAccount';
import { SettingsPage } from '../../../../renderer/features/settings/SettingsPage';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { useSyncStore } from '../../../../renderer/stores/syncStore';
import { fakeSyncApi, syncStateFixture, syncUserFixture } from '../../../fakes/fakeSyncApi';

let fake: ReturnType<typeof fakeSyncApi>;
let detach: () => void = () => undefined;

async function start(state: SyncState, lng: 'en-US' | 'zh-CN' = 'en-US') {
  fake = fakeSyncApi(state);
  detach = useSyncStore.getState().attach(fake.api);
  await act(() => useSyncStore.getState().refresh());
  return render(
    <I18nextProvider i18n={createI18n(lng)}>
      <ServerAccount />
    </I18nextProvider>,
  );
}

const onlineAsLina = () =>
  syncStateFixture({ connection: 'online', realtime: true, outboxDepth: 4, lastSyncAt: new Date(2026, 10, 24, 9, 30, 0).getTime(), user: syncUserFixture() });

// antd rendering in jsdom is CPU bound: allow for a loaded machine.
describe('server account in Settings', { timeout: 20_000 }, () => {
  beforeEach(() => {
    useSyncStore.setState({ sync: null });
    useCoreStore.setState({ state: null });
  });
  afterEach(() => detach());

  it('signed out: the form is prefilled with the configured server', async () => {
    await start(syncStateFixture());
    expect(screen.getByTestId('server-account').getAttribute('data-user')).toBe('');
    expect((screen.getByTestId('server-url') as HTMLInputElement).value).toBe('https://calldesk.example.com');
    expect((screen.getByTestId('server-username') as HTMLInputElement).value).toBe('');
  });

  it('empty fields and a bad address are refused at their fields without a request', async () => {
    await start(syncStateFixture({ serverUrl: '' }));
    await userEvent.type(screen.getByTestId('server-url'), 'calldesk.example.com');
    await userEvent.click(screen.getByTestId('server-sign-in'));
    expect(await screen.findByText('Enter an address starting with http:// or https://.')).toBeTruthy();
    expect(screen.getAllByText('Required.')).toHaveLength(2);
    expect(fake.sync.signIn).not.toHaveBeenCalled();
  });

  it('sends the sign-in request and shows a wrong password clearly, keeping what was typed', async () => {
    await start(syncStateFixture());
    fake.sync.signIn.mockResolvedValueOnce(fail('UNAUTHORIZED', 'invalid credentials'));
    await userEvent.type(screen.getByTestId('server-username'), ' lina ');
    await userEvent.type(screen.getByTestId('server-password'), 'wrong-pass{Enter}');
    expect(fake.sync.signIn).toHaveBeenCalledWith({ url: 'https://calldesk.example.com', username: 'lina', password: 'wrong-pass' });
    const error = await screen.findByTestId('server-sign-in-error');
    expect(error.textContent).toBe('Wrong user name or password.');
    expect((screen.getByTestId('server-username') as HTMLInputElement).value).toBe(' lina ');
    expect(screen.getByTestId('server-account').getAttribute('data-user')).toBe('');
  });

  it('an unreachable server and rate limiting get their own text, in Chinese too', async () => {
    await start(syncStateFixture(), 'zh-CN');
    fake.sync.signIn.mockResolvedValueOnce(fail('DISCONNECTED', 'connect ECONNREFUSED')).mockResolvedValueOnce(fail('RATE_LIMITED', 'too many attempts'));
    await userEvent.type(screen.getByTestId('server-username'), 'lina');
    await userEvent.type(screen.getByTestId('server-password'), 'pw{Enter}');
    expect((await screen.findByTestId('server-sign-in-error')).textContent).toBe('无法连接服务器，请检查地址和网络。');
    await waitFor(() => expect(fake.sync.signIn).toHaveBeenCalledTimes(1));
    await userEvent.type(screen.getByTestId('server-password'), '{Enter}');
    await waitFor(() => expect(screen.getByTestId('server-sign-in-error').textContent).toBe('登录尝试次数过多，请稍等一分钟再试。'));
  });

  it('a successful sign-in switches to the signed-in view', async () => {
    await start(syncStateFixture());
    fake.sync.signIn.mockResolvedValueOnce(ok(onlineAsLina()));
    await userEvent.type(screen.getByTestId('server-username'), 'lina');
    await userEvent.type(screen.getByTestId('server-password'), 'secret{Enter}');
    await waitFor(() => expect(screen.getByTestId('server-account').getAttribute('data-user')).toBe('u-lina'));
    expect(screen.getByTestId('server-signed-in-as').textContent).toBe('Signed in as 李娜 (Supervisor) to https://calldesk.example.com');
    expect(screen.queryByTestId('server-password')).toBeNull();
  });

  it('signed in: connection, outbox depth, last sync; Sync now and Sign out call the core', async () => {
    await start(onlineAsLina());
    expect(screen.getByTestId('server-account').getAttribute('data-user')).toBe('u-lina');
    expect(screen.getByTestId('server-connection').textContent).toBe('Online');
    expect(screen.getByTestId('server-outbox').textContent).toBe('4');
    expect(screen.getByTestId('server-last-sync').textContent).toMatch(/^Nov 24, 2026.*9:30:00/);
    await userEvent.click(screen.getByTestId('server-retry'));
    expect(fake.sync.retry).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.getByTestId('server-sign-out').hasAttribute('disabled')).toBe(false));
    await userEvent.click(screen.getByTestId('server-sign-out'));
    expect(fake.sync.signOut).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.getByTestId('server-account').getAttribute('data-user')).toBe(''));
    expect(screen.getByTestId('server-sign-in')).toBeTruthy();
  });

  it('a refused retry is shown in the signed-in view', async () => {
    await start(onlineAsLina());
    fake.sync.retry.mockResolvedValueOnce(fail('TIMEOUT', 'no answer'));
    await userEvent.click(screen.getByTestId('server-retry'));
    expect((await screen.findByTestId('server-action-error')).textContent).toBe('The server did not answer in time. Try again.');
  });

  it('is part of the Central server card on the Settings page', async () => {
    useCoreStore.setState({ state: { ready: true, settings: { revision: 1, entries: SETTING_KEYS.map((key) => ({ key, value: SETTING_DEFAULTS[key], source: 'default' as const, locked: false })) } } });
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <SettingsPage />
      </I18nextProvider>,
    );
    const card = screen.getByText('Central server').closest('.ant-card') as HTMLElement;
    expect(within(card).getByTestId('server-account')).toBeTruthy();
    expect(within(card).getByTestId('server-sign-in')).toBeTruthy();
  });
});
