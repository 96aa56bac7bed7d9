import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import type { CalldeskApi } from '../../../../shared/api/client';
import { ok } from '../../../../shared/api/result';
import type { DiagnosticsPreview } from '../../../../shared/diagnostics/api';
import { DiagnosticsBundle } from '../../../../renderer/features/diagnostics/DiagnosticsBundle';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';

const preview: DiagnosticsPreview = {
  files: [
    { name: 'manifest.json', kind: 'manifest', bytes: 900 },
    { name: 'settings.json', kind: 'settings', bytes: 14_000 },
    { name: 'sip-trace.txt', kind: 'sipTrace', bytes: 52_000 },
    { name: 'logs/calldesk.log', kind: 'log', bytes: 2_400_000 },
  ],
  secretsRemoved: 3,
};

function withApi() {
  const previewFn = vi.fn(async () => ok(preview));
  const saveFn = vi.fn(async () => ok({ ...preview, file: '/home/agent/.config/CallDesk/diagnostics/calldesk-diagnostics-20261203-160000.zip', bytes: 310_000 }));
  useCoreStore.setState({ api: { diagnostics: { preview: previewFn, save: saveFn } } as unknown as CalldeskApi });
  return { previewFn, saveFn };
}

describe('diagnostics bundle button', () => {
  it('previews the files with what each holds and the secrets removed, then saves and says where', async () => {
    const { previewFn, saveFn } = withApi();
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <DiagnosticsBundle />
      </I18nextProvider>,
    );
    await userEvent.click(screen.getByTestId('diagnostics-bundle'));
    const dialog = await screen.findByRole('dialog');
    const table = within(dialog).getByTestId('diagnostics-bundle-files').textContent!;
    expect(table).toContain('settings.json' + 'Effective settings and where each comes from (secrets removed)');
    expect(table).toContain('sip-trace.txt' + 'SIP messages of the last 10 minutes');
    expect(table).toContain('2.3 MB');
    expect(dialog.textContent).toContain('3 secret values taken out');
    expect(previewFn).toHaveBeenCalledTimes(1);
    expect(saveFn).not.toHaveBeenCalled();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Save bundle' }));
    await waitFor(() => expect(screen.getByTestId('diagnostics-bundle-saved').textContent).toContain('calldesk-diagnostics-20261203-160000.zip (302.7 KB)'));
    expect(saveFn).toHaveBeenCalledTimes(1);
  }, 30_000);

  it('in Chinese', async () => {
    withApi();
    render(
      <I18nextProvider i18n={createI18n('zh-CN')}>
        <DiagnosticsBundle />
      </I18nextProvider>,
    );
    await userEvent.click(screen.getByTestId('diagnostics-bundle'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('生效的设置及其来源');
    expect(within(dialog).getByRole('button', { name: '保存诊断包' })).toBeTruthy();
  }, 30_000);
});
