import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { ShortcutLayer } from '../../../../renderer/app/useShortcuts';
import { TicketCreateModal } from '../../../../renderer/features/ticket/TicketCreateModal';
import { AgentShortcuts } from '../../../../renderer/features/agent/AgentShortcuts';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useAgentStore } from '../../../../renderer/stores/agentStore';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { useCustomerStore } from '../../../../renderer/stores/customerStore';
import { usePhoneStore } from '../../../../renderer/stores/phoneStore';
import { useTicketStore } from '../../../../renderer/stores/ticketStore';
import type { CallSnapshot, PhoneState } from '../../../../shared/phone/call';
import { agentFixture, fakeWorkflowApi, settingsSnapshot } from '../../../fakes/fakeWorkflowApi';

let fake: ReturnType<typeof fakeWorkflowApi>;

beforeEach(() => {
  fake = fakeWorkflowApi();
  useCoreStore.setState({ state: { ready: true, settings: settingsSnapshot() } });
  useTicketStore.setState({ openId: null, create: null, names: {} });
  useTicketStore.getState().attach(fake.calldesk);
  useCustomerStore.setState({ pops: {}, popOrder: [] });
  useCustomerStore.getState().attach(fake.calldesk);
  useAgentStore.setState({ agent: agentFixture({ state: 'on-call', callId: 'c-9' }) });
  const call = { id: 'c-9', state: 'active', direction: 'inbound', muted: false, remote: { number: '+8613800138000', displayName: '' }, times: { created: Date.now() - 60_000, holds: [] } } as unknown as CallSnapshot;
  usePhoneStore.setState({ phone: { calls: [call] } as unknown as PhoneState });
});

function renderModal() {
  return render(
    <I18nextProvider i18n={createI18n('en-US')}>
      <input data-testid="elsewhere" />
      <TicketCreateModal />
      <ShortcutLayer />
      <AgentShortcuts />
    </I18nextProvider>,
  );
}

describe('new ticket form (Alt+N)', { timeout: 20_000 }, () => {
  it('opens with the focus on the subject, and Enter there creates the ticket linked to the live call', async () => {
    renderModal();
    (screen.getByTestId('elsewhere') as HTMLInputElement).focus();
    await act(async () => {
      fireEvent.keyDown(window, { key: 'n', code: 'KeyN', altKey: true });
    });
    const subject = (await screen.findByTestId('ticket-new-subject')) as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(subject));
    fireEvent.change(subject, { target: { value: 'Asked about the invoice' } });
    // Enter that confirms an IME composition (Chinese input) must not submit.
    fireEvent.keyDown(subject, { key: 'Enter', code: 'Enter', isComposing: true });
    expect(fake.api.ticket.create).not.toHaveBeenCalled();
    fireEvent.keyDown(subject, { key: 'Enter', code: 'Enter' });
    await waitFor(() => expect(fake.api.ticket.create).toHaveBeenCalledTimes(1));
    expect(fake.api.ticket.create.mock.calls[0]![0]).toMatchObject({ subject: 'Asked about the invoice', fromCallId: 'c-9' });
  });

  it('Enter in the description (several lines) does not submit', async () => {
    renderModal();
    await act(async () => {
      fireEvent.keyDown(window, { key: 'n', code: 'KeyN', altKey: true });
    });
    const description = await screen.findByTestId('ticket-new-description');
    fireEvent.keyDown(description, { key: 'Enter', code: 'Enter' });
    expect(fake.api.ticket.create).not.toHaveBeenCalled();
  });
});
