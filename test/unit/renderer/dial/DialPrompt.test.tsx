import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { DialLink } from '../../../../renderer/features/dial/DialLink';
import { DialPrompt } from '../../../../renderer/features/dial/DialPrompt';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useDialStore } from '../../../../renderer/stores/dialStore';
import { usePhoneStore } from '../../../../renderer/stores/phoneStore';
import { fakeCustomerApi } from '../../../fakes/fakeCustomerApi';

let fake: ReturnType<typeof fakeCustomerApi>;

function renderWith(node: React.ReactNode) {
  return render(<I18nextProvider i18n={createI18n('en-US')}>{node}</I18nextProvider>);
}

describe('click-to-dial', () => {
  beforeEach(() => {
    fake = fakeCustomerApi();
    usePhoneStore.getState().attach(fake.api);
    useDialStore.getState().clear();
    window.history.replaceState(null, '', '/');
  });

  it('a phone number link dials that number', async () => {
    renderWith(<DialLink number="0755-8888 1234" />);
    await userEvent.click(screen.getByTestId('dial-link'));
    expect(fake.call.dial).toHaveBeenCalledWith({ target: '0755-8888 1234' });
  });

  it('?dial=tel:... on load asks first, dials on confirm and leaves the token in the address', async () => {
    window.history.replaceState(null, '', '/?token=t0k&dial=tel%3A%2B8613800138000');
    renderWith(<DialPrompt />);
    await waitFor(() => expect(screen.getByTestId('dial-prompt-target').textContent).toContain('+8613800138000'));
    expect(fake.call.dial).not.toHaveBeenCalled();
    expect(window.location.search).toBe('?token=t0k');
    await userEvent.click(screen.getByTestId('dial-prompt-ok'));
    expect(fake.call.dial).toHaveBeenCalledWith({ target: '+8613800138000' });
  });

  it('cancelling a link dials nothing; a link without a number says so', async () => {
    window.history.replaceState(null, '', '/?dial=callto%3A%2B12125550123');
    renderWith(<DialPrompt />);
    await waitFor(() => expect(screen.getByTestId('dial-prompt-target').textContent).toContain('+12125550123'));
    await userEvent.click(screen.getByTestId('dial-prompt-cancel'));
    expect(fake.call.dial).not.toHaveBeenCalled();
    useDialStore.getState().offer('tel:nobody');
    await waitFor(() => expect(screen.getByTestId('dial-prompt-rejected').textContent).toContain('tel:nobody'));
  });
});
