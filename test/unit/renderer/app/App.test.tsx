import { act, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { AntdConfig } from '../../../../renderer/app/App';
import { DRAWER_HOST_ID } from '../../../../renderer/app/drawerHost';
import { CustomerDrawer } from '../../../../renderer/features/customer/CustomerDrawer';
import { CallCard } from '../../../../renderer/features/phone/CallCard';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { useCustomerStore } from '../../../../renderer/stores/customerStore';
import { customerFixture, fakeCustomerApi } from '../../../fakes/fakeCustomerApi';
import { settingsSnapshot } from '../../../fakes/fakeWorkflowApi';
import { callCardActions, ringingCall } from '../../../fakes/callSnapshot';

const ringing = ringingCall();
const actions = callCardActions();

describe('the app shell', { timeout: 30_000 }, () => {
  it('writes two-character Chinese buttons as written (拒接, not 拒 接)', () => {
    useCoreStore.setState({ state: { ready: true, settings: settingsSnapshot() } });
    render(
      <I18nextProvider i18n={createI18n('zh-CN')}>
        <AntdConfig lng="zh-CN" algorithm={undefined}>
          <CallCard call={ringing} others={[]} actions={actions} />
        </AntdConfig>
      </I18nextProvider>,
    );
    expect(screen.getByTestId('call-reject').textContent).toBe('拒接');
    expect(screen.getByTestId('call-answer').textContent).toBe('接听');
  });

  it('opens the customer record in the work area (the drawer host), never over the phone panel beside it', async () => {
    const fake = fakeCustomerApi();
    fake.customer.get.mockResolvedValue({ ok: true, value: customerFixture({ id: 1, name: '李娜' }) });
    useCustomerStore.getState().attach(fake.api);
    useCoreStore.setState({ state: { ready: true, settings: settingsSnapshot() } });
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <div className="cd-main">
          <div className="cd-work" id={DRAWER_HOST_ID} />
          <aside data-testid="phone-panel" />
        </div>
        <CustomerDrawer />
      </I18nextProvider>,
    );
    act(() => useCustomerStore.getState().openCustomer(1));
    const drawer = await screen.findByTestId('customer-drawer');
    const host = document.getElementById(DRAWER_HOST_ID)!;
    expect(host.contains(drawer)).toBe(true);
    expect(within(host).queryByTestId('phone-panel')).toBeNull();
  });
});
