import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../../../shared/api/result';
import type { Customer, CustomerSaveInput } from '../../../../shared/customer/schema';
import { SETTING_DEFAULTS, SETTING_KEYS } from '../../../../shared/settings/definitions';
import { CustomerDrawer } from '../../../../renderer/features/customer/CustomerDrawer';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { useCustomerStore } from '../../../../renderer/stores/customerStore';
import { customerFixture, fakeCustomerApi } from '../../../fakes/fakeCustomerApi';

let fake: ReturnType<typeof fakeCustomerApi>;
let stored: Customer;

function renderDrawer(id: number | 'new') {
  render(
    <I18nextProvider i18n={createI18n('en-US')}>
      <CustomerDrawer />
    </I18nextProvider>,
  );
  act(() => useCustomerStore.getState().openCustomer(id));
}

function lastSave(): CustomerSaveInput {
  return fake.customer.save.mock.calls.at(-1)![0] as CustomerSaveInput;
}

async function clearAndType(el: HTMLElement, text: string) {
  await userEvent.clear(el);
  if (text) await userEvent.type(el, text);
}

// antd rendering in jsdom is CPU bound: allow for a loaded machine.
describe('CustomerDrawer (the customer record)', { timeout: 20_000 }, () => {
  beforeEach(() => {
    fake = fakeCustomerApi();
    stored = customerFixture({ id: 7 });
    fake.customer.get.mockImplementation(async () => ok(stored));
    fake.customer.save.mockImplementation(async (req) => ok({ ...stored, ...(req as Partial<Customer>), phones: stored.phones, emails: stored.emails, revision: stored.revision + 1 }));
    useCustomerStore.setState({ openCustomerId: null });
    useCustomerStore.getState().attach(fake.api);
    useCoreStore.setState({
      state: {
        ready: true,
        settings: { revision: 1, entries: SETTING_KEYS.map((key) => ({ key, value: key === 'sip.uri' ? 'sip:1001@calldesk.test' : SETTING_DEFAULTS[key], source: 'default' as const, locked: false })) },
      },
    });
  });

  it('shows the full record with several phones (each dialable) and emails', async () => {
    renderDrawer(7);
    await waitFor(() => expect(screen.getByTestId('customer-editor')).toBeTruthy());
    expect(fake.customer.get).toHaveBeenCalledWith({ id: 7 });
    expect(screen.getByTestId('record-title').textContent).toBe('张伟');
    expect((screen.getByTestId('editor-name') as HTMLInputElement).value).toBe('张伟');
    expect(screen.getAllByTestId('editor-phone-row')).toHaveLength(2);
    expect((screen.getByTestId('editor-phone-1') as HTMLInputElement).value).toBe('139 2233 4455');
    expect(screen.getAllByTestId('editor-phone-dial').map((b) => b.getAttribute('data-number'))).toEqual(['0755-8888 1234', '139 2233 4455']);
    expect((screen.getByTestId('editor-email-0') as HTMLInputElement).value).toBe('zhang.wei@tengfei.example.cn');
    expect(screen.getByTestId('owner-current').textContent).toBe('agent-1');
  });

  it('refuses invalid fields with a message next to each, without saving', async () => {
    renderDrawer(7);
    await waitFor(() => expect(screen.getByTestId('customer-editor')).toBeTruthy());
    await clearAndType(screen.getByTestId('editor-name'), '');
    await clearAndType(screen.getByTestId('editor-birthday'), '1985-02-30');
    await clearAndType(screen.getByTestId('editor-email-0'), 'not-an-email');
    await clearAndType(screen.getByTestId('editor-code'), 'bad code!');
    await userEvent.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(screen.getByText('Required.')).toBeTruthy());
    expect(screen.getByText('Enter a real date as YYYY-MM-DD or --MM-DD.')).toBeTruthy();
    expect(screen.getByText('Not a valid email address.')).toBeTruthy();
    expect(screen.getByText('Letters, digits, "-", "_" and "." only.')).toBeTruthy();
    expect(fake.customer.save).not.toHaveBeenCalled();
  });

  it('shows a phone number the core cannot read under that phone', async () => {
    fake.customer.save.mockResolvedValueOnce(
      fail('INVALID_PAYLOAD', 'Invalid customer', { issues: [{ path: 'phones.2.raw', message: '"12345" is too short to be a phone number' }] }),
    );
    renderDrawer(7);
    await waitFor(() => expect(screen.getByTestId('customer-editor')).toBeTruthy());
    await userEvent.click(screen.getByTestId('editor-add-phone'));
    await userEvent.type(screen.getByTestId('editor-phone-2'), '12345');
    await userEvent.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(screen.getByText('"12345" is not a phone number we can read.')).toBeTruthy());
    const row = screen.getAllByTestId('editor-phone-row')[2]!;
    expect(within(row).getByText('"12345" is not a phone number we can read.')).toBeTruthy();
  });

  it('saves an edit with the loaded revision, all phones and emails, and the owner unchanged', async () => {
    renderDrawer(7);
    await waitFor(() => expect(screen.getByTestId('customer-editor')).toBeTruthy());
    await clearAndType(screen.getByTestId('editor-company'), 'Tengfei Tech');
    await userEvent.click(screen.getByTestId('editor-add-phone'));
    await userEvent.type(screen.getByTestId('editor-phone-2'), '+1 212 555 0123');
    await userEvent.click(screen.getByTestId('editor-add-email'));
    await userEvent.type(screen.getByTestId('editor-email-1'), 'zw@example.com');
    // The Save button in the drawer header submits the form (long records need no scrolling).
    await userEvent.click(screen.getByTestId('record-save'));
    await waitFor(() => expect(fake.customer.save).toHaveBeenCalledTimes(1));
    const input = lastSave();
    expect(input).toMatchObject({ id: 7, revision: 3, code: 'VIP-0001', company: 'Tengfei Tech', ownerId: 'agent-1', lastContactAt: stored.lastContactAt });
    expect(input.phones!.map((p) => p.raw)).toEqual(['0755-8888 1234', '139 2233 4455', '+1 212 555 0123']);
    expect(input.emails!.map((e) => e.address)).toEqual(['zhang.wei@tengfei.example.cn', 'zw@example.com']);
  });

  it('a concurrent edit is reported with a way to reload', async () => {
    fake.customer.save.mockResolvedValueOnce(fail('CONFLICT', 'Customer VIP-0001 was changed by someone else; reload it and try again'));
    renderDrawer(7);
    await waitFor(() => expect(screen.getByTestId('customer-editor')).toBeTruthy());
    await userEvent.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(screen.getByTestId('editor-error').textContent).toContain('changed by someone else'));
    await userEvent.click(within(screen.getByTestId('editor-error')).getByText('Reload'));
    await waitFor(() => expect(fake.customer.get).toHaveBeenCalledTimes(2));
  });

  it('reassigns the owner and shows the recorded change', async () => {
    fake.customer.ownerHistory.mockResolvedValue(ok([{ id: 1, customerId: 7, fromOwnerId: null, toOwnerId: 'agent-1', changedBy: 'import', reason: 'first owner', changedAt: Date.UTC(2026, 0, 5) }]));
    fake.customer.reassign.mockImplementation(async (req: { ownerId: string | null; changedBy: string | null; reason: string }) =>
      ok({
        customer: { ...stored, ownerId: req.ownerId, revision: 4 },
        change: { id: 2, customerId: 7, fromOwnerId: 'agent-1', toOwnerId: req.ownerId, changedBy: req.changedBy, reason: req.reason, changedAt: Date.now() },
      }),
    );
    renderDrawer(7);
    await waitFor(() => expect(screen.getAllByTestId('owner-history')).toBeTruthy());
    await userEvent.type(screen.getByTestId('owner-new'), 'agent-2');
    await userEvent.type(screen.getByTestId('owner-reason'), 'holiday cover');
    await userEvent.click(screen.getByTestId('owner-reassign'));
    await waitFor(() => expect(screen.getByTestId('owner-current').textContent).toBe('agent-2'));
    expect(fake.customer.reassign).toHaveBeenCalledWith({ id: 7, ownerId: 'agent-2', changedBy: '1001', reason: 'holiday cover' });
    const history = screen.getByTestId('owner-history');
    expect(history.textContent).toContain('holiday cover');
    expect(history.textContent).toContain('first owner');
    // A later save carries the new revision and owner.
    await userEvent.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(lastSave()).toMatchObject({ id: 7, revision: 4, ownerId: 'agent-2' }));
  });

  it('creates a new customer from the empty form', async () => {
    fake.customer.save.mockImplementation(async (req) => ok(customerFixture({ id: 50, name: String(req.name), ownerId: (req.ownerId as string) ?? null })));
    renderDrawer('new');
    await waitFor(() => expect(screen.getByTestId('customer-editor')).toBeTruthy());
    await userEvent.type(screen.getByTestId('editor-name'), 'Carol Wu');
    await userEvent.type(screen.getByTestId('editor-phone-0'), '021 6234 5678');
    await userEvent.type(screen.getByTestId('editor-owner'), 'agent-3');
    await userEvent.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(useCustomerStore.getState().openCustomerId).toBe(50));
    expect(lastSave()).toMatchObject({ name: 'Carol Wu', ownerId: 'agent-3', phones: [{ raw: '021 6234 5678', label: 'mobile', primary: true }] });
    expect(lastSave()).not.toHaveProperty('id');
  });
});
