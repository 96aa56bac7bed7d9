import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { CustomerCard } from '../../../../renderer/features/customer/CustomerCard';
import { CustomerActivity } from '../../../../renderer/features/customer/CustomerActivity';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { useInteractionStore } from '../../../../renderer/stores/interactionStore';
import { useTicketStore } from '../../../../renderer/stores/ticketStore';
import { ok } from '../../../../shared/api/result';
import type { Interaction } from '../../../../shared/interaction/interaction';
import { customerFixture } from '../../../fakes/fakeCustomerApi';
import { fakeWorkflowApi, interactionFixture, settingsSnapshot, ticketFixture } from '../../../fakes/fakeWorkflowApi';

let fake: ReturnType<typeof fakeWorkflowApi>;

function entries(n: number): Interaction[] {
  return Array.from({ length: n }, (_, i) =>
    interactionFixture({ id: `i-${i}`, rootId: `i-${i}`, occurredAt: Date.now() - i * 3_600_000, disposition: i === 0 ? 'issue-resolved' : null, endReason: i === 1 ? 'missed' : 'remote-hangup', talkMs: i === 1 ? 0 : 95_000 }),
  );
}

function renderCard() {
  const customer = customerFixture();
  return render(
    <I18nextProvider i18n={createI18n('en-US')}>
      <CustomerCard customer={customer} insight={{ daysSinceLastContact: 1, dormant: false, birthday: null }}>
        <CustomerActivity customerId={customer.id} customerName={customer.name} />
      </CustomerCard>
    </I18nextProvider>,
  );
}

beforeEach(() => {
  fake = fakeWorkflowApi();
  useCoreStore.setState({ state: { ready: true, settings: settingsSnapshot() } });
  useInteractionStore.getState().attach(fake.calldesk);
  useTicketStore.setState({ create: null, openId: null });
  useTicketStore.getState().attach(fake.calldesk);
  fake.api.interaction.list.mockResolvedValue(ok({ items: entries(5), total: 37 }));
});

describe('customer timeline and open tickets on the card', { timeout: 20_000 }, () => {
  it('shows the last five contacts and the count; refreshes when a contact is logged', async () => {
    renderCard();
    await waitFor(() => expect(screen.getAllByTestId('timeline-entry')).toHaveLength(5));
    expect(fake.api.interaction.list).toHaveBeenCalledWith({ customerId: 1, limit: 5 });
    expect(screen.getByTestId('timeline-count').getAttribute('data-count')).toBe('37');
    const [first, second] = screen.getAllByTestId('timeline-entry');
    expect(first!.textContent).toContain('Issue resolved');
    expect(first!.textContent).toContain('1:35');
    expect(second!.getAttribute('data-end-reason')).toBe('missed');
    expect(second!.textContent).toContain('Missed');
    expect(screen.queryByTestId('timeline-more')).toBeNull();
    act(() => fake.emit('interaction:logged', interactionFixture({ id: 'i-new' })));
    await waitFor(() => expect(fake.api.interaction.list).toHaveBeenCalledTimes(2));
  });

  it('the record page windows a long history and pages older contacts by a cursor as it scrolls', async () => {
    const first = entries(20);
    fake.api.interaction.list.mockResolvedValueOnce(ok({ items: first, total: 10_000 })).mockResolvedValueOnce(ok({ items: entries(40).slice(20), total: 10_000 }));
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <CustomerActivity customerId={1} variant="page" />
      </I18nextProvider>,
    );
    await waitFor(() => expect(fake.api.interaction.list).toHaveBeenCalledWith({ customerId: 1, limit: 20 }));
    // Only the rows in view (plus overscan) are in the DOM; the short first page asks for the next one by a cursor.
    await waitFor(() => expect(fake.api.interaction.list).toHaveBeenCalledTimes(2));
    const last = first[19]!;
    expect(fake.api.interaction.list).toHaveBeenLastCalledWith({ customerId: 1, limit: 200, after: { occurredAt: last.occurredAt, id: last.id } });
    expect(screen.getAllByTestId('timeline-entry').length).toBeLessThan(20);
    expect(screen.getByTestId('timeline-count').getAttribute('data-count')).toBe('10000');
  });

  it('logs a contact by hand (visit, email, SMS, note)', async () => {
    renderCard();
    fireEvent.click(screen.getByTestId('timeline-add'));
    fireEvent.click(await screen.findByTestId('timeline-add-kind-visit'));
    fireEvent.change(screen.getByTestId('timeline-add-subject'), { target: { value: 'Showroom visit' } });
    fireEvent.change(screen.getByTestId('timeline-add-notes'), { target: { value: 'Looked at the new model' } });
    fireEvent.click(screen.getByTestId('timeline-add-save'));
    await waitFor(() => expect(fake.api.interaction.add).toHaveBeenCalledTimes(1));
    expect(fake.api.interaction.add.mock.calls[0]![0]).toMatchObject({ kind: 'visit', customerId: 1, subject: 'Showroom visit', notes: 'Looked at the new model' });
  });

  it('corrects an entry as a new linked entry with a reason (nothing is edited in place)', async () => {
    renderCard();
    await waitFor(() => expect(screen.getAllByTestId('timeline-entry')).toHaveLength(5));
    fireEvent.click(within(screen.getAllByTestId('timeline-entry')[0]!).getByTestId('timeline-correct'));
    fireEvent.change(await screen.findByTestId('timeline-correct-notes'), { target: { value: 'Customer asked for a refund, not a replacement' } });
    fireEvent.click(screen.getByTestId('timeline-correct-save'));
    expect(await screen.findByText('a reason is required')).toBeTruthy();
    fireEvent.change(screen.getByTestId('timeline-correct-reason'), { target: { value: 'Wrong notes' } });
    fireEvent.click(screen.getByTestId('timeline-correct-save'));
    await waitFor(() => expect(fake.api.interaction.correct).toHaveBeenCalledWith({ id: 'i-0', reason: 'Wrong notes', changes: { notes: 'Customer asked for a refund, not a replacement' } }));
  });

  it('shows the open tickets of the customer; a click opens the ticket', async () => {
    fake.api.ticket.list.mockResolvedValue(ok({ items: [ticketFixture({ id: 'tk-1', subject: 'Late delivery' }), ticketFixture({ id: 'tk-2', status: 'closed', subject: 'Old one' })], total: 2 }));
    renderCard();
    await waitFor(() => expect(screen.getAllByTestId('open-ticket')).toHaveLength(1));
    expect(fake.api.ticket.list).toHaveBeenCalledWith({ view: 'by-customer', customerId: 1, limit: 200 });
    fireEvent.click(screen.getByTestId('open-ticket'));
    expect(useTicketStore.getState().openId).toBe('tk-1');
    fireEvent.click(screen.getByTestId('customer-new-ticket'));
    expect(useTicketStore.getState().create).toMatchObject({ customerId: 1, customerName: '张伟' });
  });
});
