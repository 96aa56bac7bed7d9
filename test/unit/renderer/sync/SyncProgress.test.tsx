import { act, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncProgress } from '../../../../renderer/features/sync/SyncProgress';
import { ServerAccount } from '../../../../renderer/features/settings/ServerAccount';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { useSyncStore } from '../../../../renderer/stores/syncStore';
import { fakeSyncApi, syncStateFixture, syncUserFixture } from '../../../fakes/fakeSyncApi';

let fake: ReturnType<typeof fakeSyncApi>;
let detach: () => void = () => undefined;

const pulling = (cursor: number, latest: number) => syncStateFixture({ connection: 'online', user: syncUserFixture(), pull: { cursor, latest } });

describe('first-sync progress', { timeout: 20_000 }, () => {
  beforeEach(async () => {
    useSyncStore.setState({ sync: null });
    useCoreStore.setState({ state: null });
    fake = fakeSyncApi(pulling(1200, 5000));
    detach = useSyncStore.getState().attach(fake.api);
    await act(() => useSyncStore.getState().refresh());
  });
  afterEach(() => detach());

  it('shows a bar with "X of Y" while a pull runs, follows it, and goes away when it ends', () => {
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <SyncProgress />
      </I18nextProvider>,
    );
    const banner = screen.getByTestId('sync-progress');
    expect(banner.textContent).toContain('Downloading changes from the server: 1,200 of 5,000');
    expect(banner.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('24');
    act(() => fake.push(pulling(4000, 5000)));
    expect(screen.getByTestId('sync-progress').querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('80');
    act(() => fake.push(syncStateFixture({ connection: 'online', user: syncUserFixture(), pull: null })));
    expect(screen.queryByTestId('sync-progress')).toBeNull();
  });

  it('is shown in the server account section too, in Chinese', () => {
    render(
      <I18nextProvider i18n={createI18n('zh-CN')}>
        <ServerAccount />
      </I18nextProvider>,
    );
    expect(screen.getByTestId('server-progress').textContent).toContain('正在从服务器下载变更：1,200 / 5,000');
    act(() => fake.push(syncStateFixture({ connection: 'online', user: syncUserFixture(), pull: null })));
    expect(screen.queryByTestId('server-progress')).toBeNull();
  });
});
