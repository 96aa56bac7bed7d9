import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { ShortcutLayer } from '../../../../renderer/app/useShortcuts';
import { AgentShortcuts } from '../../../../renderer/features/agent/AgentShortcuts';
import { WrapUpPanel } from '../../../../renderer/features/wrapup/WrapUpPanel';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useAgentStore } from '../../../../renderer/stores/agentStore';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { useCustomerStore } from '../../../../renderer/stores/customerStore';
import { useTicketStore } from '../../../../renderer/stores/ticketStore';
import { fail, ok } from '../../../../shared/api/result';
import type { ScreenPopResult } from '../../../../shared/customer/screenPop';
import { customerFixture } from '../../../fakes/fakeCustomerApi';
import { agentFixture, fakeWorkflowApi, settingsSnapshot, ticketFixture, wrapUpFixture } from '../../../fakes/fakeWorkflowApi';

let fake: ReturnType<typeof fakeWorkflowApi>;

function renderPanel(lng: 'en-US' | 'zh-CN' = 'en-US') {
  return render(
    <I18nextProvider i18n={createI18n(lng)}>
      <WrapUpPanel />
      <ShortcutLayer />
      <AgentShortcuts />
    </I18nextProvider>,
  );
}

async function chooseDisposition(code: string) {
  const select = screen.getByTestId('wrapup-panel').querySelector<HTMLElement>('[data-testid=wrapup-disposition] input, input[data-testid=wrapup-disposition]') ?? within(screen.getByTestId('wrapup-panel')).getAllByRole('combobox')[0]!;
  fireEvent.mouseDown(select);
  fireEvent.click(await screen.findByTestId(`disposition-${code}`));
}

beforeEach(async () => {
  fake = fakeWorkflowApi();
  useCoreStore.setState({ state: { ready: true, settings: settingsSnapshot() } });
  fake.api.agent.state.mockResolvedValue(ok(agentFixture({ state: 'wrap-up', wrapUp: wrapUpFixture() })));
  useAgentStore.getState().attach(fake.calldesk);
  useTicketStore.getState().attach(fake.calldesk);
  await useAgentStore.getState().refresh();
});

describe('WrapUpPanel', { timeout: 20_000 }, () => {
  it('is shown only during wrap-up, with a countdown for a time-boxed wrap-up and the call it is for', () => {
    useAgentStore.setState({ agent: agentFixture() });
    const { unmount } = renderPanel();
    expect(screen.queryByTestId('wrapup-panel')).toBeNull();
    unmount();
    useAgentStore.setState({ agent: agentFixture({ state: 'wrap-up', wrapUp: wrapUpFixture({ deadline: Date.now() + 42_000 }) }) });
    renderPanel();
    const panel = screen.getByTestId('wrapup-panel');
    expect(within(panel).getByTestId('wrapup-countdown').textContent).toMatch(/0:4[12]/);
    expect(panel.textContent).toContain('+8675588881234');
    expect(panel.textContent).toContain('Time-boxed');
  });

  it('extends once through wrapup:extend', async () => {
    renderPanel();
    await userEvent.click(screen.getByTestId('wrapup-extend'));
    expect(fake.api.wrapup.extend).toHaveBeenCalledTimes(1);
  });

  it('marks the mandatory disposition and refuses to submit without it, showing the error at the field', async () => {
    renderPanel();
    await userEvent.click(screen.getByTestId('wrapup-submit'));
    expect(await screen.findByText('Choose a disposition.')).toBeTruthy();
    expect(fake.api.wrapup.submit).not.toHaveBeenCalled();
  });

  it('submits disposition, notes, a new complaint ticket and a callback in one wrapup:submit (Alt+W)', async () => {
    renderPanel();
    await chooseDisposition('ticket-created');
    fireEvent.change(screen.getByTestId('wrapup-notes'), { target: { value: 'Parcel damaged' } });
    await userEvent.click(screen.getByTestId('wrapup-ticket-mode-create'));
    await waitFor(() => expect(fake.api.ticket.draft).toHaveBeenCalledWith({ interactionId: 'i-1' }));
    await userEvent.click(screen.getByTestId('wrapup-ticket-type-complaint'));
    await userEvent.click(screen.getByTestId('wrapup-ticket-priority-P2'));
    fireEvent.change(screen.getByTestId('wrapup-ticket-subject'), { target: { value: 'Damaged parcel' } });
    await userEvent.click(screen.getByTestId('wrapup-followup-toggle'));
    fireEvent.change(screen.getByTestId('wrapup-followup-due'), { target: { value: '2030-01-02T10:30' } });
    await act(async () => {
      fireEvent.keyDown(window, { key: 'w', code: 'KeyW', altKey: true });
    });
    await waitFor(() => expect(fake.api.wrapup.submit).toHaveBeenCalledTimes(1));
    expect(fake.api.wrapup.submit.mock.calls[0]![0]).toMatchObject({
      disposition: 'ticket-created',
      notes: 'Parcel damaged',
      linkTicketIds: [],
      createTicket: { type: 'complaint', priority: 'P2', subject: 'Damaged parcel' },
      followUp: { kind: 'callback', title: 'Call back 张伟', dueAt: new Date(2030, 0, 2, 10, 30).getTime() },
    });
  });

  it('shows a refusal of the core at the field it names (MISSING_FIELD notes)', async () => {
    fake.api.wrapup.submit.mockResolvedValueOnce(fail('MISSING_FIELD', 'Notes are required to complete wrap-up', { field: 'notes' }));
    renderPanel();
    await chooseDisposition('issue-resolved');
    await userEvent.click(screen.getByTestId('wrapup-submit'));
    expect(await screen.findByText('Notes are required.')).toBeTruthy();
    expect(useAgentStore.getState().agent?.state).toBe('wrap-up');
  });

  it('links an open ticket of the customer', async () => {
    fake.api.ticket.list.mockResolvedValue({ ok: true, value: { items: [ticketFixture({ id: 'tk-open-1', subject: 'Late delivery' })], total: 1 } });
    renderPanel();
    await chooseDisposition('issue-resolved');
    await userEvent.click(screen.getByTestId('wrapup-ticket-mode-link'));
    await waitFor(() => expect(fake.api.ticket.list).toHaveBeenCalledWith({ view: 'by-customer', customerId: 1 }));
    const combos = within(screen.getByTestId('wrapup-panel')).getAllByRole('combobox');
    fireEvent.mouseDown(combos[combos.length - 1]!);
    fireEvent.click(await screen.findByTestId('wrapup-link-tk-open-1'));
    await userEvent.click(screen.getByTestId('wrapup-submit'));
    await waitFor(() => expect(fake.api.wrapup.submit).toHaveBeenCalledTimes(1));
    expect(fake.api.wrapup.submit.mock.calls[0]![0]).toMatchObject({ disposition: 'issue-resolved', linkTicketIds: ['tk-open-1'] });
  });

  it('takes the customer the agent picked on the screen pop when the core matched none', async () => {
    const picked = customerFixture({ id: 42, name: '李娜' });
    useCustomerStore.setState({ pops: { 'c-1': { result: { callId: 'c-1', kind: 'match', customer: picked } as unknown as ScreenPopResult, receivedAt: Date.now(), dismissed: false } }, popOrder: ['c-1'] });
    useAgentStore.setState({ agent: agentFixture({ state: 'wrap-up', wrapUp: wrapUpFixture({ customerId: null, remoteName: '' }) }) });
    renderPanel();
    expect(screen.getByTestId('wrapup-panel').textContent).toContain('李娜');
    await chooseDisposition('answered-question');
    await userEvent.click(screen.getByTestId('wrapup-submit'));
    await waitFor(() => expect(fake.api.wrapup.submit).toHaveBeenCalledTimes(1));
    expect(fake.api.wrapup.submit.mock.calls[0]![0]).toMatchObject({ customerId: 42, disposition: 'answered-question' });
    useCustomerStore.setState({ pops: {}, popOrder: [] });
  });

  it('renders in Chinese', () => {
    renderPanel('zh-CN');
    expect(screen.getByTestId('wrapup-panel').textContent).toContain('话后处理');
  });

  it('lists the tickets already linked to the call (raised during it) instead of "No ticket"', async () => {
    useAgentStore.setState({ agent: agentFixture({ state: 'wrap-up', wrapUp: wrapUpFixture({ ticketIds: ['0a1b2c3d-0000-4000-8000-000000000000'] }) }) });
    renderPanel();
    const linked = await screen.findByTestId('wrapup-linked');
    expect(within(linked).getAllByTestId('wrapup-linked-ticket').map((t) => t.getAttribute('data-ticket-id'))).toEqual(['0a1b2c3d-0000-4000-8000-000000000000']);
    expect(linked.textContent).toContain('0A1B2C');
    expect(screen.getByTestId('wrapup-ticket-mode-none').textContent).toBe('No other ticket');
    expect(screen.queryByText('Link this call to an open ticket or create one prefilled from the call.')).toBeNull();
  });

  it('takes the customer the agent picks on the pop after the call ended (ambiguous caller) into the wrap-up and its callback', async () => {
    useAgentStore.setState({ agent: agentFixture({ state: 'wrap-up', wrapUp: wrapUpFixture({ customerId: null, remoteName: '', remoteNumber: '+8613800138000' }) }) });
    useCustomerStore.setState({ pops: {}, popOrder: [] });
    fake.api.customer.get.mockResolvedValue(ok({ name: '李娜' }));
    renderPanel();
    await screen.findByTestId('wrapup-panel');
    const liNa = customerFixture({ id: 7, name: '李娜' });
    act(() => useCustomerStore.getState().receivePop({ callId: 'c-1', trigger: 'manual', caller: { kind: 'number', e164: '+8613800138000', display: '138 0013 8000', displayName: null }, headers: [], kind: 'match', matchedBy: 'phone', customer: liNa, insight: { daysSinceLastContact: 0, dormant: false, birthday: null } }));
    await waitFor(() => expect(screen.getByTestId('wrapup-panel').textContent).toContain('李娜 · +8613800138000'));
    await chooseDisposition('callback-scheduled');
    fireEvent.click(screen.getByTestId('wrapup-followup-toggle'));
    expect((screen.getByTestId('wrapup-followup-title') as HTMLInputElement).placeholder).toBe('Call back 李娜');
    fireEvent.click(screen.getByTestId('wrapup-submit'));
    await waitFor(() => expect(fake.api.wrapup.submit).toHaveBeenCalledTimes(1));
    expect(fake.api.wrapup.submit.mock.calls[0]![0]).toMatchObject({ customerId: 7, followUp: { kind: 'callback', title: 'Call back 李娜' } });
  });

  it('the quick picks of the due time wrap inside the column instead of overflowing it ("Tomorrow 9:00")', async () => {
    renderPanel();
    fireEvent.click(await screen.findByTestId('wrapup-followup-toggle'));
    const tomorrow = screen.getByTestId('wrapup-due-tomorrow');
    expect(tomorrow.parentElement!.className).toContain('cd-wrapup-due');
    expect(tomorrow.closest('.ant-space-compact')).toBeNull();
  });
});
