import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { OpenTicketDrawer } from '../../../../renderer/features/ticket/TicketDrawer';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useAgentStore } from '../../../../renderer/stores/agentStore';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { useCustomerStore } from '../../../../renderer/stores/customerStore';
import { useTicketStore } from '../../../../renderer/stores/ticketStore';
import { fail, ok } from '../../../../shared/api/result';
import type { Ticket } from '../../../../shared/ticket/ticket';
import { agentFixture, fakeWorkflowApi, settingsSnapshot, ticketFixture } from '../../../fakes/fakeWorkflowApi';

let fake: ReturnType<typeof fakeWorkflowApi>;
const HOUR = 3_600_000;

beforeEach(() => {
  fake = fakeWorkflowApi();
  useCoreStore.setState({ state: { ready: true, settings: settingsSnapshot() } });
  useTicketStore.setState({ openId: null, create: null, names: {} });
  useTicketStore.getState().attach(fake.calldesk);
  useAgentStore.setState({ agent: agentFixture({ agentId: '1001' }) });
  useCustomerStore.getState().attach(fake.calldesk);
});

/** Opens the drawer of `ticket` (ticket:get answers `current()`) and waits until it shows. */
async function openDrawer(current: () => Ticket) {
  fake.api.ticket.get.mockImplementation(async () => ok({ ticket: current(), history: [] }));
  render(
    <I18nextProvider i18n={createI18n('en-US')}>
      <OpenTicketDrawer />
    </I18nextProvider>,
  );
  act(() => useTicketStore.getState().openTicket(current().id));
  await screen.findByTestId('ticket-edit');
}

/** The edit form's subject input. */
const subject = () => screen.getByTestId('ticket-edit-subject') as HTMLInputElement;

/** Clicks Save once it is no longer loading (antd's loading buttons ignore pointer events). */
async function save() {
  const button = screen.getByTestId('ticket-edit-save');
  await waitFor(() => expect(button.className).not.toContain('ant-btn-loading'));
  await userEvent.click(button);
}

describe('editing a ticket in its drawer', { timeout: 20_000 }, () => {
  it('prefills the fields and sends exactly the changed subject and priority with the version', async () => {
    let current = ticketFixture({ status: 'open', priority: 'P2', subject: 'Damaged parcel', assignee: 'sup-7', version: 4 });
    fake.api.ticket.update.mockImplementation(async () => {
      current = { ...current, subject: 'Parcel crushed in transit', priority: 'P1', version: 5 };
      return ok(current);
    });
    await openDrawer(() => current);
    await userEvent.click(screen.getByTestId('ticket-edit'));
    expect(subject().value).toBe('Damaged parcel');
    expect((screen.getByTestId('ticket-edit-description') as HTMLTextAreaElement).value).toBe('Box crushed');
    expect((screen.getByTestId('ticket-edit-assignee') as HTMLInputElement).value).toBe('sup-7');
    expect(screen.getByTestId('ticket-edit-save').hasAttribute('disabled')).toBe(true);

    fireEvent.change(subject(), { target: { value: 'Parcel crushed in transit' } });
    await userEvent.click(screen.getByTestId('ticket-edit-priority-P1'));
    await save();

    await waitFor(() => expect(fake.api.ticket.update).toHaveBeenCalledTimes(1));
    expect(fake.api.ticket.update).toHaveBeenCalledWith({ id: current.id, version: 4, changes: { subject: 'Parcel crushed in transit', priority: 'P1' }, linkInteractionIds: [] });
    await waitFor(() => expect(screen.queryByTestId('ticket-edit-form')).toBeNull());
    expect(screen.getByTestId('ticket-drawer-subject').textContent).toBe('Parcel crushed in transit');
  });

  it('on a CONFLICT says so, reloads the fresh ticket and keeps only the agent’s own change on top', async () => {
    let current = ticketFixture({ status: 'open', subject: 'Damaged parcel', description: 'Box crushed', version: 2 });
    fake.api.ticket.update.mockImplementationOnce(async () => {
      // Meanwhile the central server merged someone else's change to the description.
      current = { ...current, description: 'Box crushed; photos received', version: 3 };
      return fail('CONFLICT', `Ticket ${current.id} was changed by someone else: reload it and try again`, { id: current.id, version: 3 });
    });
    await openDrawer(() => current);
    const loadsBefore = fake.api.ticket.get.mock.calls.length;
    await userEvent.click(screen.getByTestId('ticket-edit'));
    fireEvent.change(subject(), { target: { value: 'Parcel crushed' } });
    await save();

    const alert = await screen.findByTestId('ticket-edit-conflict');
    expect(alert.textContent).toContain('Someone else changed this ticket while you were editing it');
    expect(fake.api.ticket.get.mock.calls.length).toBeGreaterThan(loadsBefore);
    await waitFor(() => expect((screen.getByTestId('ticket-edit-description') as HTMLTextAreaElement).value).toBe('Box crushed; photos received'));
    expect(subject().value).toBe('Parcel crushed');

    fake.api.ticket.update.mockImplementationOnce(async () => ok((current = { ...current, subject: 'Parcel crushed', version: 4 })));
    await save();
    await waitFor(() => expect(fake.api.ticket.update).toHaveBeenCalledTimes(2));
    expect(fake.api.ticket.update).toHaveBeenLastCalledWith({ id: current.id, version: 3, changes: { subject: 'Parcel crushed' }, linkInteractionIds: [] });
  });

  it('cancel leaves the ticket unchanged and sends nothing', async () => {
    const current = ticketFixture({ status: 'open', subject: 'Damaged parcel' });
    await openDrawer(() => current);
    await userEvent.click(screen.getByTestId('ticket-edit'));
    fireEvent.change(subject(), { target: { value: 'Something else' } });
    await userEvent.click(screen.getByTestId('ticket-edit-cancel'));
    expect(screen.queryByTestId('ticket-edit-form')).toBeNull();
    expect(fake.api.ticket.update).not.toHaveBeenCalled();
    expect(screen.getByTestId('ticket-drawer-subject').textContent).toBe('Damaged parcel');
    await userEvent.click(screen.getByTestId('ticket-edit'));
    expect(subject().value).toBe('Damaged parcel');
  });

  it('shows problems at their fields: an empty subject before sending, a refused category from the core', async () => {
    const current = ticketFixture({ status: 'open', category: '' });
    fake.api.ticket.update.mockResolvedValueOnce(fail('INVALID_PAYLOAD', 'Unknown ticket category "x"', { field: 'category', value: 'x' }));
    await openDrawer(() => current);
    await userEvent.click(screen.getByTestId('ticket-edit'));
    fireEvent.change(subject(), { target: { value: '   ' } });
    await save();
    const subjectItem = subject().closest('.ant-form-item')!;
    await waitFor(() => expect(subjectItem.className).toContain('ant-form-item-has-error'));
    expect(fake.api.ticket.update).not.toHaveBeenCalled();

    fireEvent.change(subject(), { target: { value: 'Damaged parcel' } });
    fireEvent.change(screen.getByTestId('ticket-edit-description'), { target: { value: 'More detail' } });
    await save();
    await waitFor(() => expect(fake.api.ticket.update).toHaveBeenCalledTimes(1));
    const form = screen.getByTestId('ticket-edit-form');
    const help = await within(form).findByText('Unknown ticket category "x"');
    expect(within(help.closest('.ant-form-item') as HTMLElement).getByTestId('ticket-edit-category')).toBeTruthy();
    expect(screen.queryByTestId('ticket-edit-error')).toBeNull();
  });

  it('changes the assignee: emptied (unassigned), or "Assign to me"', async () => {
    let current = ticketFixture({ status: 'open', assignee: 'sup-7', version: 6 });
    fake.api.ticket.update.mockImplementation(async (req?: unknown) => {
      const r = req as { changes: { assignee: string | null } };
      return ok((current = { ...current, assignee: r.changes.assignee, version: current.version + 1 }));
    });
    await openDrawer(() => current);
    await userEvent.click(screen.getByTestId('ticket-edit'));
    fireEvent.change(screen.getByTestId('ticket-edit-assignee'), { target: { value: ' ' } });
    await save();
    await waitFor(() => expect(fake.api.ticket.update).toHaveBeenCalledWith({ id: current.id, version: 6, changes: { assignee: null }, linkInteractionIds: [] }));
    await waitFor(() => expect(screen.queryByTestId('ticket-edit-form')).toBeNull());

    await userEvent.click(screen.getByTestId('ticket-edit'));
    await userEvent.click(screen.getByTestId('ticket-edit-assign-me'));
    expect((screen.getByTestId('ticket-edit-assignee') as HTMLInputElement).value).toBe('1001');
    await save();
    await waitFor(() => expect(fake.api.ticket.update).toHaveBeenLastCalledWith({ id: current.id, version: 7, changes: { assignee: '1001' }, linkInteractionIds: [] }));
  });
});

describe('the SLA clock while pending', { timeout: 20_000 }, () => {
  it('shows "paused" instead of a countdown or overdue for a pending ticket', async () => {
    const current = ticketFixture({ status: 'pending', dueAt: Date.now() - 2 * HOUR, overdue: false, pendingSince: Date.now() - 3 * HOUR });
    await openDrawer(() => current);
    const due = screen.getByTestId('ticket-drawer-due');
    expect(due.textContent).toContain('paused: waiting on the customer');
    expect(due.textContent).not.toContain('overdue');
    expect(due.getAttribute('data-overdue')).toBe('false');
    expect(due.getAttribute('data-paused')).toBe('true');
  });
});
