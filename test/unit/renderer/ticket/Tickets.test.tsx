import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { ShortcutLayer } from '../../../../renderer/app/useShortcuts';
import { TicketCreateModal } from '../../../../renderer/features/ticket/TicketCreateModal';
import { OpenTicketDrawer } from '../../../../renderer/features/ticket/TicketDrawer';
import { TicketsPage } from '../../../../renderer/features/ticket/TicketsPage';
import { AgentShortcuts } from '../../../../renderer/features/agent/AgentShortcuts';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useAgentStore } from '../../../../renderer/stores/agentStore';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { useCustomerStore } from '../../../../renderer/stores/customerStore';
import { usePhoneStore } from '../../../../renderer/stores/phoneStore';
import { useTicketStore } from '../../../../renderer/stores/ticketStore';
import { fail, ok } from '../../../../shared/api/result';
import type { ScreenPopResult } from '../../../../shared/customer/screenPop';
import type { CallSnapshot, PhoneState } from '../../../../shared/phone/call';
import type { TicketHistoryEntry } from '../../../../shared/ticket/ticket';
import { customerFixture } from '../../../fakes/fakeCustomerApi';
import { agentFixture, fakeWorkflowApi, settingsSnapshot, ticketFixture } from '../../../fakes/fakeWorkflowApi';

let fake: ReturnType<typeof fakeWorkflowApi>;
const HOUR = 3_600_000;

function renderTickets() {
  return render(
    <I18nextProvider i18n={createI18n('en-US')}>
      <TicketsPage />
      <OpenTicketDrawer />
      <TicketCreateModal />
      <ShortcutLayer />
      <AgentShortcuts />
    </I18nextProvider>,
  );
}

beforeEach(() => {
  fake = fakeWorkflowApi();
  useCoreStore.setState({ state: { ready: true, settings: settingsSnapshot() } });
  useTicketStore.setState({ openId: null, create: null, names: {} });
  useTicketStore.getState().attach(fake.calldesk);
  useAgentStore.setState({ agent: agentFixture() });
  useCustomerStore.getState().attach(fake.calldesk);
  usePhoneStore.setState({ phone: null });
});

describe('Tickets page', { timeout: 20_000 }, () => {
  it('lists my open tickets with the SLA due time and highlights overdue ones', async () => {
    const late = ticketFixture({ id: 'tk-late', subject: 'Invoice charged twice', priority: 'P1', dueAt: Date.now() - 2 * HOUR, overdue: true });
    const fine = ticketFixture({ id: 'tk-fine', subject: 'Damaged parcel', dueAt: Date.now() + 3 * HOUR + 30 * 60_000 });
    fake.api.ticket.list.mockImplementation(async (req?: unknown) => ok((req as { view: string }).view === 'overdue' ? { items: [late], total: 1 } : { items: [late, fine], total: 2 }));
    renderTickets();
    await waitFor(() => expect(screen.getAllByTestId('ticket-row')).toHaveLength(2));
    expect(fake.api.ticket.list).toHaveBeenCalledWith({ view: 'my-open', limit: 500 });
    const [first, second] = screen.getAllByTestId('ticket-row');
    expect(first!.className).toContain('cd-row-overdue');
    expect(within(first!).getByTestId('ticket-due').textContent).toContain('2h 0m overdue');
    expect(second!.className).not.toContain('cd-row-overdue');
    expect(within(second!).getByTestId('ticket-due').textContent).toMatch(/in 3h (29|30)m/);
    fireEvent.click(screen.getByTestId('tickets-view-overdue'));
    await waitFor(() => expect(fake.api.ticket.list).toHaveBeenCalledWith({ view: 'overdue', limit: 500 }));
  });

  it('the drawer offers only legal status changes, shows the history and asks for resolution and satisfaction', async () => {
    const ticket = ticketFixture({ status: 'open', version: 2 });
    const history: TicketHistoryEntry[] = [
      { id: 1, ticketId: ticket.id, at: Date.now() - HOUR, by: '1001', action: 'created', changes: [] },
      { id: 2, ticketId: ticket.id, at: Date.now() - 30 * 60_000, by: 'sup-7', action: 'status', changes: [{ field: 'status', from: 'new', to: 'open' }] },
    ];
    fake.api.ticket.get.mockResolvedValue(ok({ ticket, history }));
    renderTickets();
    act(() => useTicketStore.getState().openTicket(ticket.id));
    const drawer = await screen.findByTestId('ticket-drawer');
    await waitFor(() => expect(within(drawer).getAllByTestId('ticket-history-entry')).toHaveLength(2));
    const buttons = within(screen.getByTestId('ticket-transitions')).getAllByRole('button').map((b) => b.getAttribute('data-testid'));
    expect(buttons).toEqual(['ticket-to-pending', 'ticket-to-resolved']);
    const entry = within(drawer).getAllByTestId('ticket-history-entry')[0]!;
    expect(entry.textContent).toContain('sup-7');
    expect(entry.textContent).toContain('Status: New → Open');

    fireEvent.click(screen.getByTestId('ticket-to-resolved'));
    fireEvent.click(await screen.findByTestId('ticket-resolve-confirm'));
    expect(await screen.findByText('Enter a resolution.')).toBeTruthy();
    expect(screen.getByText('Rate the customer’s satisfaction (1-5).')).toBeTruthy();
    expect(fake.api.ticket.transition).not.toHaveBeenCalled();
    fireEvent.change(screen.getByTestId('ticket-resolution'), { target: { value: 'Replacement sent' } });
    fireEvent.click(screen.getByTestId('ticket-satisfaction').querySelectorAll('li')[3]!.querySelector('div')!);
    fireEvent.click(screen.getByTestId('ticket-resolve-confirm'));
    await waitFor(() => expect(fake.api.ticket.transition).toHaveBeenCalledWith({ id: ticket.id, version: 2, to: 'resolved', resolution: 'Replacement sent', satisfaction: 4 }));
  });

  it('shows the refusal of an illegal change', async () => {
    const ticket = ticketFixture({ status: 'new' });
    fake.api.ticket.get.mockResolvedValue(ok({ ticket, history: [] }));
    fake.api.ticket.transition.mockResolvedValueOnce(fail('ILLEGAL_TRANSITION', 'A ticket cannot go from new to pending', { from: 'new', to: 'pending' }));
    renderTickets();
    act(() => useTicketStore.getState().openTicket(ticket.id));
    fireEvent.click(await screen.findByTestId('ticket-to-pending'));
    expect((await screen.findByTestId('ticket-error')).textContent).toContain('This change is not allowed in the current state. A ticket cannot go from new to pending');
    expect(screen.queryByTestId('ticket-to-closed')).toBeNull();
  });

  it('Alt+N opens a new ticket prefilled from the live call and its matched customer', async () => {
    const call = { id: 'c-9', state: 'active', direction: 'inbound', muted: false, remote: { number: '+8675588881234', displayName: '' }, times: { created: Date.now() - 60_000, holds: [] } } as unknown as CallSnapshot;
    usePhoneStore.setState({ phone: { calls: [call] } as unknown as PhoneState });
    const customer = customerFixture();
    useCustomerStore.getState().receivePop({ callId: 'c-9', kind: 'match', customer, matchedBy: 'phone', insight: { daysSinceLastContact: 1, dormant: false, birthday: null }, trigger: 'ring', caller: { kind: 'number', display: '0755 8888 1234', e164: '+8675588881234', displayName: '' }, headers: [] } as unknown as ScreenPopResult);
    renderTickets();
    await act(async () => {
      fireEvent.keyDown(window, { key: 'n', code: 'KeyN', altKey: true });
    });
    const subject = (await screen.findByTestId('ticket-new-subject')) as HTMLInputElement;
    expect(subject.value).toBe('张伟');
    fireEvent.change(subject, { target: { value: '' } });
    fireEvent.click(screen.getByTestId('ticket-new-submit'));
    expect(await screen.findByText('a subject is required')).toBeTruthy();
    fireEvent.change(subject, { target: { value: 'Wants a refund' } });
    fireEvent.click(screen.getByTestId('ticket-new-type-complaint'));
    fireEvent.click(screen.getByTestId('ticket-new-submit'));
    await waitFor(() => expect(fake.api.ticket.create).toHaveBeenCalledTimes(1));
    expect(fake.api.ticket.create.mock.calls[0]![0]).toMatchObject({ type: 'complaint', subject: 'Wants a refund', customerId: customer.id });
  });
});
