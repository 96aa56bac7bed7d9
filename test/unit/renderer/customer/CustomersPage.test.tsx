import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail, ok } from '../../../../shared/api/result';
import { SEARCH_QUERY_MAX } from '../../../../shared/customer/schema';
import { CustomersPage } from '../../../../renderer/features/customer/CustomersPage';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { SEARCH_DEBOUNCE_MS, useCustomerStore } from '../../../../renderer/stores/customerStore';
import { customerFixture, fakeCustomerApi, summaryOf } from '../../../fakes/fakeCustomerApi';

let fake: ReturnType<typeof fakeCustomerApi>;
const rows = Array.from({ length: 30 }, (_, i) => summaryOf(customerFixture({ id: i + 1, name: `Customer ${i + 1}`, code: `C-${i + 1}` })));

function renderPage() {
  return render(
    <I18nextProvider i18n={createI18n('en-US')}>
      <CustomersPage />
    </I18nextProvider>,
  );
}

function searchCalls(): { query: string; filters: Record<string, unknown>; offset: number }[] {
  return fake.customer.search.mock.calls.map((c) => c[0] as { query: string; filters: Record<string, unknown>; offset: number });
}

// antd rendering in jsdom is CPU bound: allow for a loaded machine.
describe('CustomersPage', { timeout: 20_000 }, () => {
  beforeEach(() => {
    fake = fakeCustomerApi();
    fake.customer.search.mockImplementation(async () => ok({ items: rows, total: 30, capped: false }));
    useCustomerStore.setState({ openCustomerId: null, search: { query: '', filters: {}, items: [], total: 0, capped: false, loading: false, error: null, answeredQuery: null, requests: 0 } });
    useCustomerStore.getState().attach(fake.api);
  });
  afterEach(() => vi.useRealTimers());

  it('lists customers on open, with clickable numbers; a row opens the record', async () => {
    renderPage();
    await waitFor(() => expect(screen.getByTestId('customer-results-meta').textContent).toBe('Matches: 30'));
    expect(searchCalls()[0]).toMatchObject({ query: '', filters: {}, offset: 0 });
    const first = (await screen.findAllByTestId('customer-row'))[0]!;
    expect(first.textContent).toContain('Customer 1');
    expect(within(first).getByTestId('dial-link').getAttribute('data-number')).toBe('0755-8888 1234');
    await userEvent.click(within(first).getByText('Customer 1'));
    expect(useCustomerStore.getState().openCustomerId).toBe(1);
  });

  it('type-ahead: a burst of key strokes fires one search, after the debounce', async () => {
    // Only the fake clock moves: on a loaded machine real time would run the debounce out early.
    vi.useFakeTimers();
    renderPage();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    const before = fake.customer.search.mock.calls.length;
    const box = screen.getByTestId('customer-search');
    for (const text of ['z', 'zh', 'zha', 'zhan', 'zhang', 'zhangw']) fireEvent.change(box, { target: { value: text } });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 50);
    });
    expect(fake.customer.search.mock.calls.length).toBe(before);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(100);
    });
    expect(fake.customer.search.mock.calls.length).toBe(before + 1);
    expect(searchCalls().at(-1)).toMatchObject({ query: 'zhangw', offset: 0 });
  });

  it('filters search at once and combine with the text', async () => {
    renderPage();
    await waitFor(() => expect(fake.customer.search).toHaveBeenCalled());
    act(() => useCustomerStore.getState().setQuery('acme'));
    fireEvent.mouseDown(within(screen.getByTestId('filter-status')).getByRole('combobox'));
    await userEvent.click(await screen.findByTitle('Contracted'));
    await waitFor(() => expect(searchCalls().at(-1)).toMatchObject({ query: 'acme', filters: { status: ['contracted'] } }));
    fireEvent.mouseDown(within(screen.getByTestId('filter-dormant')).getByRole('combobox'));
    await userEvent.click(await screen.findByTitle('Dormant only'));
    await waitFor(() => expect(searchCalls().at(-1)).toMatchObject({ query: 'acme', filters: { status: ['contracted'], dormant: true } }));
    act(() => useCustomerStore.getState().setFilters({ ownerId: [null] }));
    await waitFor(() => expect(searchCalls().at(-1)).toMatchObject({ filters: { ownerId: [null] } }));
  });

  it('answers to an older search never overwrite a newer one', async () => {
    renderPage();
    await waitFor(() => expect(fake.customer.search).toHaveBeenCalled());
    let releaseSlow!: () => void;
    fake.customer.search.mockImplementationOnce(
      () => new Promise((resolve) => (releaseSlow = () => resolve(ok({ items: rows.slice(0, 1), total: 1, capped: false })))),
    );
    fake.customer.search.mockImplementationOnce(async () => ok({ items: rows.slice(0, 2), total: 2, capped: false }));
    const slow = useCustomerStore.getState().runSearch();
    await act(() => useCustomerStore.getState().runSearch());
    releaseSlow();
    await act(() => slow);
    expect(useCustomerStore.getState().search.total).toBe(2);
    expect(screen.getByTestId('customer-results-meta').textContent).toBe('Matches: 2');
  });

  it('shows "refine" when the match count is capped and pages further with "show more"', async () => {
    fake.customer.search.mockImplementation(async (req) => {
      const offset = (req as { offset: number }).offset;
      return ok({ items: rows.map((r) => ({ ...r, id: r.id + offset })), total: 1000, capped: true });
    });
    renderPage();
    await waitFor(() => expect(screen.getByTestId('customer-results-meta').textContent).toBe('More than 1000 matches: refine the search'));
    await userEvent.click(screen.getByTestId('customer-load-more'));
    await waitFor(() => expect(useCustomerStore.getState().search.items).toHaveLength(60));
    expect(searchCalls().at(-1)).toMatchObject({ offset: 30 });
  });

  it('exports the current search as a CSV download', async () => {
    const created: Blob[] = [];
    const origCreate = URL.createObjectURL;
    URL.createObjectURL = (b: Blob) => (created.push(b), 'blob:x');
    URL.revokeObjectURL = () => undefined;
    const clicks = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    fake.customer.exportCsv.mockResolvedValue(ok({ fileName: 'customers.csv', contentBase64: btoa('code,name\r\nC-1,A\r\n'), rows: 1 }));
    renderPage();
    act(() => useCustomerStore.getState().setFilters({ level: ['vip'] }));
    await userEvent.click(screen.getByTestId('csv-export'));
    await userEvent.click(await screen.findByText('UTF-8 for Excel (with BOM)'));
    await waitFor(() => expect(clicks).toHaveBeenCalled());
    expect(fake.customer.exportCsv).toHaveBeenCalledWith({ query: '', filters: { level: ['vip'] }, encoding: 'utf-8-bom' });
    expect(await created[0]!.text()).toBe('code,name\r\nC-1,A\r\n');
    URL.createObjectURL = origCreate;
    clicks.mockRestore();
  });

  it('caps the search box at the contract\'s length: 10,000 pasted characters become 200', async () => {
    renderPage();
    await waitFor(() => expect(fake.customer.search).toHaveBeenCalled());
    const box = screen.getByTestId('customer-search') as HTMLInputElement;
    expect(box.maxLength).toBe(SEARCH_QUERY_MAX);
    await userEvent.click(box);
    await userEvent.paste('x'.repeat(10_000));
    expect(box.value).toHaveLength(SEARCH_QUERY_MAX);
    await waitFor(() => expect(searchCalls().at(-1)?.query).toHaveLength(SEARCH_QUERY_MAX));
    // Even a query set another way never leaves the box longer than the contract allows.
    act(() => useCustomerStore.getState().setQuery('y'.repeat(10_000)));
    expect(useCustomerStore.getState().search.query).toHaveLength(SEARCH_QUERY_MAX);
  });

  it('a failed search shows a human message in the UI language and no stale results under it', async () => {
    renderPage();
    await waitFor(() => expect(screen.getAllByTestId('customer-row').length).toBeGreaterThan(0));
    fake.customer.search.mockImplementation(async () => fail('INVALID_PAYLOAD', 'Invalid search: query Too big: expected string to have <=200 characters', { issues: [] }));
    act(() => useCustomerStore.getState().setQuery('zhang'));
    const alert = await screen.findByTestId('customer-search-error', {}, { timeout: 5_000 });
    expect(alert.textContent).toBe('This search cannot run: use at most 200 characters of name, number, code, email or tag.');
    expect(alert.textContent).not.toMatch(/Too big|Invalid search/);
    expect(screen.queryAllByTestId('customer-row')).toHaveLength(0);
    expect(screen.getByTestId('customer-results-meta').textContent).toBe('Matches: 0');
    fake.customer.search.mockImplementation(async () => fail('INTERNAL', 'SqliteError: database is locked'));
    act(() => useCustomerStore.getState().setQuery('zhang w'));
    await waitFor(() => expect(screen.getByTestId('customer-search-error').textContent).toBe('Something went wrong.'));
  });
});
