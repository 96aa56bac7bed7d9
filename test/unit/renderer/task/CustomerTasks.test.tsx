import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { CustomerActivity } from '../../../../renderer/features/customer/CustomerActivity';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { useInteractionStore } from '../../../../renderer/stores/interactionStore';
import { useTaskStore } from '../../../../renderer/stores/taskStore';
import { useTicketStore } from '../../../../renderer/stores/ticketStore';
import { ok } from '../../../../shared/api/result';
import { fakeWorkflowApi, settingsSnapshot, taskFixture } from '../../../fakes/fakeWorkflowApi';

let fake: ReturnType<typeof fakeWorkflowApi>;

beforeEach(() => {
  fake = fakeWorkflowApi();
  useCoreStore.setState({ state: { ready: true, settings: settingsSnapshot() } });
  useTaskStore.getState().attach(fake.calldesk);
  useTicketStore.getState().attach(fake.calldesk);
  useInteractionStore.getState().attach(fake.calldesk);
});

describe('customer record: follow-ups and callbacks', { timeout: 20_000 }, () => {
  it("shows the customer's open follow-ups whatever their due date (tomorrow's callback too), soonest first, and completes one", async () => {
    const DAY = 86_400_000;
    const tomorrow = taskFixture({ id: 't-2', customerId: 7, title: 'Call back 李娜', dueAt: Date.now() + DAY, version: 2 });
    const nextWeek = taskFixture({ id: 't-3', customerId: 7, kind: 'follow-up', title: 'Send the contract', phone: null, dueAt: Date.now() + 7 * DAY });
    const done = taskFixture({ id: 't-4', customerId: 7, title: 'Old', status: 'done' });
    fake.api.task.list.mockResolvedValue(ok({ items: [nextWeek, done, tomorrow], total: 3 }));
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <CustomerActivity customerId={7} customerName="李娜" variant="page" />
      </I18nextProvider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('customer-task')).toHaveLength(2));
    expect(fake.api.task.list).toHaveBeenCalledWith({ view: 'by-customer', customerId: 7, limit: 200 });
    expect(screen.getAllByTestId('customer-task').map((x) => x.getAttribute('data-task-id'))).toEqual(['t-2', 't-3']);
    expect(screen.getByTestId('customer-tasks').textContent).toContain('Follow-ups and callbacks (2)');
    fireEvent.click(screen.getAllByTestId('customer-task-complete')[0]!);
    await waitFor(() => expect(fake.api.task.complete).toHaveBeenCalledWith({ id: 't-2', version: 2 }));
  });
});
