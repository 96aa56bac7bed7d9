import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SETTING_DEFAULTS, SETTING_KEYS, type SettingsSnapshot } from '../../../shared/settings/definitions';
import { SettingsPage } from '../../../renderer/features/settings/SettingsPage';
import { createI18n } from '../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../renderer/stores/coreStore';
import { I18nextProvider } from 'react-i18next';

function snapshot(overrides: Partial<Record<string, { value: unknown; source: 'policy' | 'user' | 'env'; locked: boolean }>> = {}): SettingsSnapshot {
  return {
    revision: 1,
    entries: SETTING_KEYS.map((key) => ({ key, value: SETTING_DEFAULTS[key], source: 'default' as const, locked: false, ...overrides[key] })),
  };
}

function renderPage(lng: 'en-US' | 'zh-CN' = 'en-US') {
  return render(
    <I18nextProvider i18n={createI18n(lng)}>
      <SettingsPage />
    </I18nextProvider>,
  );
}

describe('SettingsPage', () => {
  beforeEach(() => {
    useCoreStore.setState({ state: { ready: true, settings: snapshot({ 'server.url': { value: 'https://it.example.com', source: 'policy', locked: true } }) } });
  });

  it('shows a policy-locked setting as locked and not editable', () => {
    renderPage();
    const input = screen.getByTestId('setting-server.url');
    expect(input).toHaveProperty('disabled', true);
    expect((input as HTMLInputElement).value).toBe('https://it.example.com');
    expect(screen.getByTestId('locked-server.url')).toBeTruthy();
    expect(screen.getByText('Set by policy')).toBeTruthy();
  });

  it('saves a text setting on Enter and shows the refusal reason next to the field', async () => {
    useCoreStore.setState({ state: { ready: true, settings: snapshot() } });
    const setSetting = vi.fn(async () => ({ code: 'INVALID_SETTING' as const, message: 'setting "server.url" must be empty or an http(s) URL' }));
    useCoreStore.setState({ setSetting });
    renderPage();
    const input = screen.getByTestId('setting-server.url');
    await userEvent.type(input, 'ftp://nope{Enter}');
    expect(setSetting).toHaveBeenCalledWith('server.url', 'ftp://nope');
    await waitFor(() => expect(screen.getByText(/Not saved: setting "server.url" must be empty/)).toBeTruthy());
  });

  it('renders in Chinese with the zh-CN resources', () => {
    renderPage('zh-CN');
    const page = screen.getByTestId('page-settings');
    expect(within(page).getByText('设置')).toBeTruthy();
    expect(within(page).getByText('电话号码默认国家/地区')).toBeTruthy();
  });

  it('shows configured values that could not be used: a banner for IT and a warning at the field, in both languages', () => {
    const message = 'Policy file /etc/calldesk/policy.json: setting "phone.defaultCountry" must be a two-letter ISO 3166 country code such as CN or US';
    const base = snapshot({ 'phone.defaultCountry': { value: 'CN', source: 'policy', locked: true } });
    const settings: SettingsSnapshot = {
      ...base,
      entries: base.entries.map((e) => (e.key === 'phone.defaultCountry' ? { ...e, problem: message } : e)),
      problems: [{ origin: '/etc/calldesk/policy.json', key: 'phone.defaultCountry', message }],
    };
    useCoreStore.setState({ state: { ready: true, settings } });
    const { unmount } = renderPage();
    const banner = screen.getByTestId('settings-problems');
    expect(banner.textContent).toContain('Configured values not used: 1');
    expect(banner.textContent).toContain(message);
    expect(screen.getByText(`The configured value was not used, so the default applies: ${message}`)).toBeTruthy();
    unmount();
    renderPage('zh-CN');
    expect(screen.getByTestId('settings-problems').textContent).toContain('有 1 项配置无法使用');
    expect(screen.getByText(`配置的值无法使用，已改用默认值：${message}`)).toBeTruthy();
  });
});
