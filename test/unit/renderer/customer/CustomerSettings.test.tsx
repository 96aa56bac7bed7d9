import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_HEADER_MAPPINGS } from '../../../../shared/customer/screenPop';
import { SETTING_DEFAULTS, SETTING_KEYS } from '../../../../shared/settings/definitions';
import { Form } from 'antd';
import { SettingField } from '../../../../renderer/features/settings/SettingField';
import { SETTING_GROUPS } from '../../../../renderer/features/settings/settingFields';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';

const setSetting = vi.fn(async (_key: string, _value: unknown) => null);

/** The Settings page's groups holding the customer settings, rendered as the page renders them. */
function renderPage(lng: 'en-US' | 'zh-CN' = 'en-US') {
  const i18n = createI18n(lng);
  const groups = SETTING_GROUPS.filter((g) => g.titleKey === 'settings.groups.customers' || g.titleKey === 'settings.groups.phone');
  const entries = useCoreStore.getState().state!.settings.entries;
  return render(
    <I18nextProvider i18n={i18n}>
      <Form layout="vertical">
        {groups.map((g) => (
          <section key={g.titleKey}>
            <h4>{i18n.t(g.titleKey)}</h4>
            {g.fields.map(({ key, control }) => (
              <SettingField key={key} entry={entries.find((e) => e.key === key)!} control={control} error={null} onChange={(v) => void setSetting(key, v)} />
            ))}
          </section>
        ))}
      </Form>
    </I18nextProvider>,
  );
}

// antd rendering in jsdom is CPU bound: allow for a loaded machine.
describe('customer and screen pop settings', { timeout: 20_000 }, () => {
  beforeEach(() => {
    setSetting.mockClear();
    useCoreStore.setState({
      setSetting,
      state: { ready: true, settings: { revision: 1, entries: SETTING_KEYS.map((key) => ({ key, value: SETTING_DEFAULTS[key], source: 'default' as const, locked: false })) } },
    });
  });

  it('shows the pop trigger, dormant days, header mappings and PBX prefixes with their help', () => {
    renderPage();
    expect(screen.getByText('Customers and screen pop')).toBeTruthy();
    expect(within(screen.getByTestId('setting-screenPop.trigger')).getByText('While ringing')).toBeTruthy();
    expect((screen.getByTestId('setting-customer.dormantDays') as HTMLInputElement).value).toBe('90');
    expect((screen.getByTestId('mapping-header-0') as HTMLInputElement).value).toBe('X-Account');
    expect(screen.getByText('Outside-line prefixes')).toBeTruthy();
    expect(screen.getByText(/A customer not contacted for longer than this/)).toBeTruthy();
  });

  it('changes the dormant days on Enter', async () => {
    renderPage();
    const input = screen.getByTestId('setting-customer.dormantDays');
    await userEvent.clear(input);
    await userEvent.type(input, '30{Enter}');
    expect(setSetting).toHaveBeenCalledWith('customer.dormantDays', 30);
  });

  it('edits header mappings as a whole and refuses a half-filled row', async () => {
    renderPage();
    const apply = screen.getByTestId('mapping-apply');
    expect(apply).toHaveProperty('disabled', true);
    await userEvent.click(screen.getByText('Add header'));
    expect(screen.getByText(/Each row needs a header name/)).toBeTruthy();
    expect(apply).toHaveProperty('disabled', true);
    fireEvent.change(screen.getByTestId('mapping-header-3'), { target: { value: 'X-Original-Caller' } });
    fireEvent.change(screen.getByTestId('mapping-label-3'), { target: { value: 'forwarded' } });
    await waitFor(() => expect(apply).toHaveProperty('disabled', false));
    await userEvent.click(apply);
    expect(setSetting).toHaveBeenCalledWith('screenPop.headerMappings', [...DEFAULT_HEADER_MAPPINGS, { header: 'X-Original-Caller', use: 'display', label: 'forwarded' }]);
  });

  it('renders the group in Chinese', () => {
    renderPage('zh-CN');
    expect(screen.getByText('客户与弹屏')).toBeTruthy();
    expect(within(screen.getByTestId('setting-screenPop.trigger')).getByText('振铃时')).toBeTruthy();
  });
});
