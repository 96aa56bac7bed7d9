import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import type { CalldeskApi } from '../../../../shared/api/client';
import { ok } from '../../../../shared/api/result';
import type { UpdateState } from '../../../../shared/update/api';
import { UpdateBanner } from '../../../../renderer/features/update/UpdateBanner';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';

const base: UpdateState = { phase: 'ready', current: '1.2.0', available: '1.3.0', skipped: null, timing: 'ask', postponesLeft: 2, lastCheckAt: 1, error: null };

function withApi(initial: UpdateState) {
  let push: (s: UpdateState) => void = () => undefined;
  const update = {
    state: vi.fn(async () => ok(initial)),
    onState: vi.fn((l: (s: UpdateState) => void) => ((push = l), () => undefined)),
    postpone: vi.fn(async () => ok({ ...initial, postponesLeft: initial.postponesLeft - 1 })),
    install: vi.fn(async () => ok({ ...initial, phase: 'installing' as const, timing: null })),
  };
  useCoreStore.setState({ api: { update } as unknown as CalldeskApi });
  return { update, push: (s: UpdateState) => act(() => push(s)) };
}

const view = (lang: 'en-US' | 'zh-CN' = 'en-US') =>
  render(
    <I18nextProvider i18n={createI18n(lang)}>
      <UpdateBanner />
    </I18nextProvider>,
  );

describe('update banner', () => {
  it('asks at idle: install now or later while postpones are left; during a call it only says it waits', async () => {
    const { update, push } = withApi(base);
    view();
    const banner = await screen.findByTestId('update-banner');
    expect(banner.textContent).toContain('CallDesk 1.3.0 is ready to install');
    expect(banner.textContent).toContain('postpone it 2 more time(s)');
    await userEvent.click(screen.getByRole('button', { name: 'Later' }));
    expect(update.postpone).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.getByTestId('update-banner').textContent).toContain('1 more time(s)'));

    push({ ...base, timing: 'wait' });
    expect(screen.getByTestId('update-banner').textContent).toContain('offered after this call and wrap-up');
    expect(screen.queryByRole('button')).toBeNull();

    push({ ...base, postponesLeft: 0 });
    expect(screen.getByTestId('update-banner').textContent).toContain('can no longer be postponed');
    expect(screen.queryByRole('button', { name: 'Later' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Restart and install' }));
    expect(update.install).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByTestId('update-banner')).toBeNull());
  }, 30_000);

  it('shows nothing without a downloaded update; Chinese text when ready', async () => {
    const { push } = withApi({ ...base, phase: 'idle', available: null, timing: null });
    view('zh-CN');
    await waitFor(() => expect(useCoreStore.getState().api).not.toBeNull());
    expect(screen.queryByTestId('update-banner')).toBeNull();
    push(base);
    expect((await screen.findByTestId('update-banner')).textContent).toContain('CallDesk 1.3.0 已可安装');
    expect(screen.getByRole('button', { name: /^稍 ?后$/ })).toBeTruthy();
  }, 30_000);
});
