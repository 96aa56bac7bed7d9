import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { MyDayPage } from '../../../../renderer/features/myday/MyDayPage';
import { ReminderNotifier } from '../../../../renderer/features/myday/ReminderNotifier';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { usePhoneStore } from '../../../../renderer/stores/phoneStore';
import { endOfLocalDay, useTaskStore } from '../../../../renderer/stores/taskStore';
import { useTicketStore } from '../../../../renderer/stores/ticketStore';
import { ok } from '../../../../shared/api/result';
import type { CalldeskApi } from '../../../../shared/api/client';
import { fakeWorkflowApi, settingsSnapshot, taskFixture } from '../../../fakes/fakeWorkflowApi';

let fake: ReturnType<typeof fakeWorkflowApi>;

function renderPage() {
  return render(
    <I18nextProvider i18n={createI18n('en-US')}>
      <MyDayPage />
      <ReminderNotifier />
    </I18nextProvider>,
  );
}

beforeEach(() => {
  fake = fakeWorkflowApi();
  useCoreStore.setState({ state: { ready: true, settings: settingsSnapshot() } });
  useTaskStore.setState({ reminders: [] });
  useTaskStore.getState().attach(fake.calldesk);
  useTicketStore.getState().attach(fake.calldesk);
  const phoneApi = { ...fake.calldesk, phone: { state: async () => ({ ok: false }), onState: () => () => undefined } } as unknown as CalldeskApi;
  usePhoneStore.getState().attach(phoneApi);
});

describe('My day', { timeout: 20_000 }, () => {
  it('lists what is due today (overdue marked), calls back in one click and completes', async () => {
    const overdue = taskFixture({ id: 't-1', title: 'Call back about the refund', dueAt: Date.now() - 20 * 60_000, overdue: true });
    const later = taskFixture({ id: 't-2', kind: 'follow-up', title: 'Send the warranty terms', phone: null, version: 3 });
    fake.api.task.list.mockResolvedValue(ok({ items: [overdue, later], total: 2 }));
    renderPage();
    await waitFor(() => expect(screen.getAllByTestId('task-row')).toHaveLength(2));
    const req = fake.api.task.list.mock.calls[0]![0] as { view: string; until: number };
    expect(req.view).toBe('my-day');
    expect(req.until).toBe(endOfLocalDay(Date.now()));
    expect(screen.getAllByTestId('task-row')[0]!.className).toContain('cd-task-overdue');
    expect(screen.getByTestId('myday-summary').textContent).toBe('2 due today · 1 overdue');
    expect(screen.getAllByTestId('task-callback')).toHaveLength(1);
    fireEvent.click(screen.getByTestId('task-callback'));
    await waitFor(() => expect(fake.api.call.dial).toHaveBeenCalledWith({ target: '+8613800138000' }));
    fireEvent.click(screen.getAllByTestId('task-complete')[1]!);
    await waitFor(() => expect(fake.api.task.complete).toHaveBeenCalledWith({ id: 't-2', version: 3 }));
  });

  it('shows a reminder notification when task:reminder arrives', async () => {
    renderPage();
    act(() => fake.emit('task:reminder', taskFixture({ id: 't-9', title: 'Confirm the installation slot' })));
    const note = await screen.findByTestId('task-reminder');
    expect(note.textContent).toContain('Confirm the installation slot');
    expect(note.getAttribute('data-task-id')).toBe('t-9');
    expect(await screen.findByText('Callback due')).toBeTruthy();
  });

  it('lists callbacks due after today (tomorrow 9:00) under "Later", not nowhere', async () => {
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(9, 0, 0, 0);
    const later = taskFixture({ id: 't-3', title: 'Call back 李娜', dueAt: tomorrow.getTime(), overdue: false });
    fake.api.task.list.mockImplementation(async (req?: unknown) => ok((req as { view: string }).view === 'my-open' ? { items: [later], total: 1 } : { items: [], total: 0 }));
    renderPage();
    const upcoming = await screen.findByTestId('myday-upcoming');
    await waitFor(() => expect(upcoming.querySelectorAll('[data-testid=task-row]')).toHaveLength(1));
    expect(upcoming.textContent).toContain('Call back 李娜');
    expect(screen.getByTestId('myday-upcoming-title').textContent).toBe('Later (1)');
    expect(screen.getByTestId('myday-today').querySelectorAll('[data-testid=task-row]')).toHaveLength(0);
    expect(screen.getByTestId('myday-summary').textContent).toBe('0 due today · 0 overdue');
  });
});
