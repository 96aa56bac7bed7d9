import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppStatusBar } from '../../../../renderer/app/AppStatusBar';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { useSyncStore } from '../../../../renderer/stores/syncStore';
import type { SyncState } from '../../../../shared/sync/api';
import { fakeSyncApi, syncStateFixture, syncUserFixture } from '../../../fakes/fakeSyncApi';

let fake: ReturnType<typeof fakeSyncApi>;
let detach: () => void = () => undefined;

async function start(state: SyncState, lng: 'en-US' | 'zh-CN' = 'en-US') {
  fake = fakeSyncApi(state);
  detach = useSyncStore.getState().attach(fake.api);
  await act(() => useSyncStore.getState().refresh());
  return render(
    <I18nextProvider i18n={createI18n(lng)}>
      <AppStatusBar />
    </I18nextProvider>,
  );
}

/** What an end-to-end test reads: the raw connection and outbox depth. */
function rawStatus() {
  const el = screen.getByTestId('status-sync').querySelector('[data-connection]');
  return { connection: el?.getAttribute('data-connection'), outbox: el?.getAttribute('data-outbox') };
}

const retryAt = new Date(2026, 10, 24, 14, 3, 12).getTime();

describe('server item in the status bar', { timeout: 20_000 }, () => {
  beforeEach(() => {
    useSyncStore.setState({ sync: null });
    useCoreStore.setState({ connection: 'connected', info: null });
  });
  afterEach(() => detach());

  it('shows offline with the retry time and the outbox depth', async () => {
    await start(syncStateFixture({ connection: 'offline', outboxDepth: 3, nextRetryAt: retryAt, user: syncUserFixture() }));
    const item = screen.getByTestId('status-sync');
    expect(item.textContent).toBe('Server: Offline — retrying at 14:03:12 · 3 waiting to sync');
    expect(rawStatus()).toEqual({ connection: 'offline', outbox: '3' });
    expect(item.querySelector('.ant-badge-status-error')).not.toBeNull();
  });

  it('follows pushed states: back online, outbox drained', async () => {
    await start(syncStateFixture({ connection: 'offline', outboxDepth: 3, user: syncUserFixture() }));
    expect(screen.getByTestId('status-sync').textContent).toBe('Server: Offline · 3 waiting to sync');
    act(() => fake.push(syncStateFixture({ connection: 'online', realtime: true, outboxDepth: 0, lastSyncAt: Date.now(), user: syncUserFixture() })));
    expect(screen.getByTestId('status-sync').textContent).toBe('Server: Online');
    expect(rawStatus()).toEqual({ connection: 'online', outbox: '0' });
    expect(screen.getByTestId('status-sync').querySelector('.ant-badge-status-success')).not.toBeNull();
  });

  it('is hidden when no server is configured and nothing waits; shown when changes wait', async () => {
    await start(syncStateFixture({ connection: 'disabled', serverUrl: '' }));
    expect(screen.queryByTestId('status-sync')).toBeNull();
    act(() => fake.push(syncStateFixture({ connection: 'disabled', serverUrl: '', outboxDepth: 2 })));
    expect(screen.getByTestId('status-sync').textContent).toBe('Server: Not configured · 2 waiting to sync');
    expect(rawStatus()).toEqual({ connection: 'disabled', outbox: '2' });
  });

  it('shows the last error and the last sync on hover', async () => {
    await start(syncStateFixture({ connection: 'offline', lastError: 'connect ECONNREFUSED 127.0.0.1:8080', lastSyncAt: retryAt, user: syncUserFixture() }));
    await userEvent.hover(screen.getByTestId('sync-status-text'));
    expect(await screen.findByText('Last error: connect ECONNREFUSED 127.0.0.1:8080')).toBeTruthy();
    expect(screen.getByText(/^Last sync: Nov 24, 2026.*2:03:12/)).toBeTruthy();
  });

  it('is nothing before the core answers (no sync channels)', () => {
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <AppStatusBar />
      </I18nextProvider>,
    );
    expect(screen.queryByTestId('status-sync')).toBeNull();
  });

  it('speaks Chinese', async () => {
    await start(syncStateFixture({ connection: 'signed-out', outboxDepth: 1 }), 'zh-CN');
    await waitFor(() => expect(screen.getByTestId('status-sync').textContent).toBe('服务器: 未登录 · 1 条待同步'));
  });
});
