import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../../../shared/api/result';
import type { ScreenPopResult } from '../../../../shared/customer/screenPop';
import type { CallSnapshot } from '../../../../shared/phone/call';
import { SETTING_DEFAULTS, SETTING_KEYS } from '../../../../shared/settings/definitions';
import { ScreenPop } from '../../../../renderer/features/customer/ScreenPop';
import { customerShortcuts } from '../../../../renderer/features/customer/customerShortcuts';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { useCustomerStore } from '../../../../renderer/stores/customerStore';
import { usePhoneStore } from '../../../../renderer/stores/phoneStore';
import { customerFixture, fakeCustomerApi, summaryOf } from '../../../fakes/fakeCustomerApi';
import { parseCallerIdentity } from '../../../../shared/phone-number/callerId';

const DAY = 86_400_000;
const caller = { kind: 'number' as const, e164: '+8675588881234', display: '0755 8888 1234', displayName: null };
const headers = [
  { header: 'X-Queue', label: 'queue', value: 'vip-support' },
  { header: 'X-IVR-Path', label: 'ivr', value: '1-3' },
];

function ringingCall(id: string): CallSnapshot {
  const now = Date.now();
  return {
    id,
    sipCallId: `sip-${id}`,
    direction: 'inbound',
    remote: { number: '+8675588881234', displayName: '', uri: 'sip:+8675588881234@calldesk.test', source: 'p-asserted-identity' },
    caller: parseCallerIdentity({ pAssertedIdentity: '<sip:+8675588881234@calldesk.test>' }),
    state: 'ringing',
    muted: false,
    remoteHold: false,
    waiting: false,
    times: { created: now, ringing: now },
    headers: {},
    dtmfReceived: '',
  } as CallSnapshot;
}

let fake: ReturnType<typeof fakeCustomerApi>;

function renderPop(lng: 'en-US' | 'zh-CN' = 'en-US') {
  return render(
    <I18nextProvider i18n={createI18n(lng)}>
      <ScreenPop />
    </I18nextProvider>,
  );
}

function pop(result: ScreenPopResult) {
  act(() => fake.pop(result));
}

// antd rendering in jsdom is CPU bound: allow for a loaded machine.
describe('ScreenPop', { timeout: 20_000 }, () => {
  beforeEach(() => {
    useCustomerStore.setState({ pops: {}, popOrder: [], selectedPop: null, openCustomerId: null });
    useCoreStore.setState({ state: null });
    fake = fakeCustomerApi();
    useCustomerStore.getState().attach(fake.api);
    usePhoneStore.getState().attach(fake.api);
    usePhoneStore.setState({ phone: { registration: { state: 'registered', aor: 'sip:1001@calldesk.test', since: 0, attempt: 0 }, calls: [ringingCall('c1')], doNotDisturb: false, mediaReady: true } });
  });

  it('shows nothing until a pop arrives', () => {
    renderPop();
    expect(screen.queryByTestId('pop-card')).toBeNull();
  });

  it('screen pop set to manual: a ringing call offers "look up the caller", which pops its card', async () => {
    useCoreStore.setState({
      state: { ready: true, settings: { revision: 1, entries: SETTING_KEYS.map((key) => ({ key, value: key === 'screenPop.trigger' ? 'manual' : SETTING_DEFAULTS[key], source: 'user' as const, locked: false })) } },
    });
    const result: ScreenPopResult = { callId: 'c1', trigger: 'manual', caller, headers: [], kind: 'match', matchedBy: 'phone', customer: customerFixture(), insight: { daysSinceLastContact: 12, dormant: false, birthday: null } };
    fake.customer.screenPop.mockResolvedValue(ok(result));
    renderPop();
    expect(screen.queryByTestId('pop-card')).toBeNull();
    await userEvent.click(screen.getByTestId('pop-request'));
    await waitFor(() => expect(screen.getByTestId('pop-name').textContent).toBe('张伟'));
    // The request carries the identity the phone parsed from the INVITE, not a header to parse again.
    expect(fake.customer.screenPop).toHaveBeenCalledWith({ callId: 'c1', caller: parseCallerIdentity({ pAssertedIdentity: '<sip:+8675588881234@calldesk.test>' }), number: '+8675588881234', displayName: null, headers: {} });
    expect(screen.queryByTestId('pop-request')).toBeNull();
  });

  it('when the server computed the customer\'s insight, the pop shows it instead of the hand-typed stage and value', async () => {
    const now = Date.now();
    fake.insight.get.mockResolvedValue(
      ok({
        insight: {
          customerId: 1, orderCount: 12, totalSpend: 18250.5, firstPurchaseAt: now - 900 * 86_400_000, lastPurchaseAt: now - 3 * 86_400_000,
          r: 5, f: 4, m: 5, segment: 'champions', abc: 'A', clv: 8539.07, lifecycle: 'growth', lifecycleManual: null,
          overdueAmount: 0, overdueSince: null, dueOrders: 0, lateOrders: 0, monthly: [], recentOrders: [], computedAt: now,
        },
      }),
    );
    renderPop();
    pop({ callId: 'c1', trigger: 'ring', caller, headers, kind: 'match', matchedBy: 'phone', customer: customerFixture(), insight: { daysSinceLastContact: 12, dormant: false, birthday: null } });
    const card = screen.getByTestId('pop-card');
    expect(await within(card).findByTestId('insight-clv')).toBeTruthy();
    expect(within(card).getByTestId('insight-lifecycle').textContent).toBe('Growth');
    expect(within(card).queryByTestId('pop-ltv')).toBeNull();
    expect(within(card).queryByTestId('pop-lifecycle')).toBeNull();
  });

  it('a match shows the customer card while the call rings: name, tier, status, stage, value, owner, tags, birthday, last contact, notes, headers', () => {
    renderPop();
    const customer = customerFixture();
    pop({ callId: 'c1', trigger: 'ring', caller, headers, kind: 'match', matchedBy: 'phone', customer, insight: { daysSinceLastContact: 12, dormant: false, birthday: 'today' } });
    const card = screen.getByTestId('pop-card');
    expect(card.getAttribute('data-kind')).toBe('match');
    expect(within(card).getByTestId('pop-name').textContent).toBe('张伟');
    expect(within(card).getByTestId('pop-company').textContent).toBe('深圳市腾飞科技有限公司');
    expect(within(card).getByTestId('pop-level').textContent).toBe('VIP');
    expect(within(card).getByTestId('pop-status').textContent).toBe('Contracted');
    expect(within(card).getByTestId('pop-lifecycle').textContent).toBe('Maturity');
    expect(within(card).getByTestId('pop-ltv').textContent).toContain('268,000');
    expect(within(card).getByTestId('pop-last-contact').textContent).toContain('12 days ago');
    expect(within(card).getByTestId('pop-birthday').textContent).toBe('Birthday today');
    expect(within(card).queryByTestId('pop-dormant')).toBeNull();
    expect(card.textContent).toContain('agent-1');
    expect(within(card).getByTestId('pop-tags').textContent).toContain('投诉中');
    expect(within(card).getByTestId('pop-preferences').textContent).toContain('偏好下午致电');
    expect(within(card).getByTestId('pop-notes').textContent).toContain('上月投诉物流延误');
    expect(within(card).getByTestId('pop-header-queue').textContent).toBe('Queue: vip-support');
    expect(within(card).getByTestId('pop-header-ivr').textContent).toBe('IVR choice: 1-3');
    expect(within(card).getByTestId('pop-call-state').textContent).toBe('Ringing');
    // Every number on the card dials.
    expect(within(card).getAllByTestId('dial-link').map((b) => b.getAttribute('data-number'))).toEqual(['0755-8888 1234', '139 2233 4455']);
  });

  it('flags a dormant customer, a birthday this week and never-contacted customers', () => {
    renderPop();
    pop({
      callId: 'c1',
      trigger: 'ring',
      caller,
      headers: [],
      kind: 'match',
      matchedBy: 'phone',
      customer: customerFixture({ lastContactAt: Date.now() - 200 * DAY }),
      insight: { daysSinceLastContact: 200, dormant: true, birthday: 'this-week' },
    });
    expect(screen.getByTestId('pop-dormant').textContent).toBe('Dormant');
    expect(screen.getByTestId('pop-birthday').textContent).toBe('Birthday this week');
    expect(screen.getByTestId('pop-last-contact').textContent).toContain('200 days ago');
    expect(screen.queryByTestId('pop-headers')).toBeNull();
  });

  it('renders the card in Chinese', () => {
    renderPop('zh-CN');
    pop({ callId: 'c1', trigger: 'ring', caller, headers, kind: 'match', matchedBy: 'phone', customer: customerFixture(), insight: { daysSinceLastContact: 12, dormant: false, birthday: 'today' } });
    expect(screen.getByTestId('pop-last-contact').textContent).toContain('12 天前');
    expect(screen.getByTestId('pop-birthday').textContent).toBe('今天生日');
    expect(screen.getByTestId('pop-header-queue').textContent).toBe('队列: vip-support');
  });

  it('answers and rejects the ringing call from the pop', async () => {
    renderPop();
    pop({ callId: 'c1', trigger: 'ring', caller, headers: [], kind: 'match', matchedBy: 'phone', customer: customerFixture(), insight: { daysSinceLastContact: 1, dormant: false, birthday: null } });
    await userEvent.click(screen.getByTestId('pop-answer'));
    expect(fake.call.answer).toHaveBeenCalledWith({ callId: 'c1' });
    await userEvent.click(screen.getByTestId('pop-reject'));
    expect(fake.call.reject).toHaveBeenCalledWith({ callId: 'c1' });
  });

  it('several matches: a chooser, most recently contacted first; choosing shows that card', async () => {
    renderPop();
    const older = customerFixture({ id: 3, name: '王强', code: 'FAM-0002', lastContactAt: Date.now() - 200 * DAY });
    const recent = customerFixture({ id: 2, name: '李娜', code: 'FAM-0001', lastContactAt: Date.now() - 3 * DAY });
    const never = customerFixture({ id: 4, name: '赵六', code: 'FAM-0003', lastContactAt: null });
    fake.customer.get.mockImplementation(async ({ id }) => ok([older, recent, never].find((c) => c.id === id)!));
    pop({ callId: 'c1', trigger: 'ring', caller, headers: [], kind: 'multiple', matchedBy: 'phone', candidates: [older, never, recent].map(summaryOf) });
    const chooser = screen.getByTestId('pop-chooser');
    expect(within(chooser).getAllByTestId('pop-candidate-name').map((n) => n.textContent)).toEqual(['李娜', '王强', '赵六']);
    expect(chooser.textContent).toContain('3 days ago');
    await userEvent.click(within(chooser).getAllByTestId('pop-candidate-choose')[1]!);
    await waitFor(() => expect(screen.getByTestId('pop-name').textContent).toBe('王强'));
    expect(fake.customer.get).toHaveBeenCalledWith({ id: 3 });
    expect(screen.getByTestId('pop-card').getAttribute('data-kind')).toBe('match');
    expect(screen.getByTestId('pop-dormant')).toBeTruthy();
  });

  it('the customer chosen for an ambiguous caller goes to the core (customer:pop-choose), so the call, wrap-up and callbacks carry it', async () => {
    renderPop();
    const a = customerFixture({ id: 2, name: '李娜', lastContactAt: Date.now() - 3 * DAY });
    const b = customerFixture({ id: 3, name: '王强', lastContactAt: Date.now() - 200 * DAY });
    fake.customer.get.mockImplementation(async ({ id }) => ok([a, b].find((c) => c.id === id)!));
    pop({ callId: 'c1', trigger: 'ring', caller, headers, kind: 'multiple', matchedBy: 'phone', candidates: [a, b].map(summaryOf) });
    await userEvent.click(within(screen.getByTestId('pop-chooser')).getAllByTestId('pop-candidate-choose')[0]!);
    await waitFor(() => expect(fake.customer.popChoose).toHaveBeenCalledWith({ callId: 'c1', customerId: 2, caller, headers }));
  });

  it('after the call is logged, the card shows the new last contact ("Today"), not the one from before the call', async () => {
    renderPop();
    const before = customerFixture({ id: 2, name: '李娜', lastContactAt: Date.now() - 12 * DAY });
    pop({ callId: 'c1', trigger: 'ring', caller, headers: [], kind: 'match', matchedBy: 'phone', customer: before, insight: { daysSinceLastContact: 12, dormant: false, birthday: null } });
    expect(screen.getByTestId('pop-last-contact').textContent).toContain('12 days ago');
    fake.customer.get.mockResolvedValue(ok({ ...before, lastContactAt: Date.now() }));
    act(() => fake.logged({ customerId: 2 }));
    await waitFor(() => expect(screen.getByTestId('pop-last-contact').textContent).toContain('Today'));
    expect(fake.customer.get).toHaveBeenCalledWith({ id: 2 });
  });

  it('no match: a quick-create form prefilled with the number saves the customer and shows the card', async () => {
    renderPop();
    fake.customer.save.mockImplementation(async (req) =>
      ok(customerFixture({ id: 77, name: String(req.name), company: String(req.company), level: 'standard', status: 'potential', lastContactAt: null, birthday: null })),
    );
    pop({ callId: 'c1', trigger: 'ring', caller: { ...caller, e164: '+8613912345678', display: '139 1234 5678' }, headers: [], kind: 'none', prefill: { name: '', phone: '139 1234 5678' } });
    const form = screen.getByTestId('pop-quick-create');
    expect((within(form).getByTestId('quick-phone') as HTMLInputElement).value).toBe('139 1234 5678');
    await userEvent.type(within(form).getByTestId('quick-name'), '刘洋');
    await userEvent.type(within(form).getByTestId('quick-company'), '星河贸易');
    await userEvent.click(within(form).getByTestId('quick-save'));
    await waitFor(() => expect(screen.getByTestId('pop-name').textContent).toBe('刘洋'));
    expect(fake.customer.save).toHaveBeenCalledTimes(1);
    expect(fake.customer.save.mock.calls[0]![0]).toMatchObject({
      name: '刘洋',
      company: '星河贸易',
      source: 'inbound-call',
      phones: [{ raw: '139 1234 5678', label: 'mobile', primary: true }],
    });
    expect(screen.getByTestId('pop-last-contact').textContent).toContain('Never contacted');
  });

  it('quick-create: an empty name is refused in the form, a phone the core cannot read is shown at the phone field', async () => {
    renderPop();
    pop({ callId: 'c1', trigger: 'ring', caller: { kind: 'unrecognised', e164: null, display: 'alice', displayName: null }, headers: [], kind: 'none', prefill: { name: '', phone: null } });
    await userEvent.click(screen.getByTestId('quick-save'));
    await waitFor(() => expect(screen.getByText('Required.')).toBeTruthy());
    expect(fake.customer.save).not.toHaveBeenCalled();

    fake.customer.save.mockResolvedValueOnce(
      fail('INVALID_PAYLOAD', 'Invalid customer: phones.0.raw "12" is too short', { issues: [{ path: 'phones.0.raw', message: '"12" is too short to be a phone number' }] }),
    );
    await userEvent.type(screen.getByTestId('quick-name'), 'Bob');
    await userEvent.type(screen.getByTestId('quick-phone'), '12');
    await userEvent.click(screen.getByTestId('quick-save'));
    await waitFor(() => expect(screen.getByText('"12" is not a phone number we can read.')).toBeTruthy());
    expect(screen.getByTestId('pop-card').getAttribute('data-kind')).toBe('none');
  });

  it('withheld: a search box; typing searches once after a pause; picking a result shows the card', async () => {
    renderPop();
    const found = customerFixture({ id: 5, name: 'Alice Smith', code: 'US-ACME-01' });
    fake.customer.search.mockImplementation(async () => ok({ items: [summaryOf(found)], total: 1, capped: false }));
    fake.customer.get.mockResolvedValue(ok(found));
    pop({ callId: 'c1', trigger: 'ring', caller: { kind: 'withheld', e164: null, display: '', displayName: null }, headers: [], kind: 'withheld' });
    expect(screen.getByTestId('pop-card').getAttribute('data-kind')).toBe('withheld');
    await userEvent.type(screen.getByTestId('pop-search-input'), 'alice');
    await waitFor(() => expect(screen.getAllByTestId('pop-search-result')).toHaveLength(1));
    // Five key strokes, one search: the box waits for a pause.
    expect(fake.customer.search).toHaveBeenCalledTimes(1);
    expect(fake.customer.search).toHaveBeenCalledWith({ query: 'alice', limit: 8 });
    await userEvent.click(screen.getByTestId('pop-search-result'));
    await waitFor(() => expect(screen.getByTestId('pop-name').textContent).toBe('Alice Smith'));
  });

  it('keeps the newest pop after its call ended, hides older ended ones, and closes on dismiss', async () => {
    renderPop();
    pop({ callId: 'old', trigger: 'ring', caller, headers: [], kind: 'match', matchedBy: 'phone', customer: customerFixture({ name: 'Old' }), insight: { daysSinceLastContact: 1, dormant: false, birthday: null } });
    pop({ callId: 'c1', trigger: 'ring', caller, headers: [], kind: 'match', matchedBy: 'phone', customer: customerFixture({ name: 'Ringing' }), insight: { daysSinceLastContact: 1, dormant: false, birthday: null } });
    expect(screen.getAllByTestId('pop-card')).toHaveLength(1);
    expect(screen.queryByTestId('pop-switch')).toBeNull();
    expect(screen.getByTestId('pop-name').textContent).toBe('Ringing');
    act(() => usePhoneStore.setState((s) => ({ phone: { ...s.phone!, calls: [{ ...ringingCall('c1'), state: 'ended' }] } })));
    expect(screen.getByTestId('pop-call-state').textContent).toBe('Ended');
    await userEvent.click(screen.getByTestId('pop-dismiss'));
    expect(screen.queryByTestId('pop-card')).toBeNull();
  });

  it('shortcuts: Alt+O opens the popped customer, Alt+F focuses the search box, Alt+C starts a new customer', () => {
    renderPop();
    const byId = (id: string) => customerShortcuts().find((s) => s.id === id)!;
    expect(byId('customer-open-record').run()).toBe(false);
    pop({ callId: 'c1', trigger: 'ring', caller, headers: [], kind: 'match', matchedBy: 'phone', customer: customerFixture({ id: 42 }), insight: { daysSinceLastContact: 1, dormant: false, birthday: null } });
    expect(byId('customer-open-record').keys).toBe('Alt+O');
    byId('customer-open-record').run();
    expect(useCustomerStore.getState().openCustomerId).toBe(42);
    pop({ callId: 'c1', trigger: 'ring', caller: { kind: 'withheld', e164: null, display: '', displayName: null }, headers: [], kind: 'withheld' });
    byId('customer-search').run();
    expect(document.activeElement).toBe(screen.getByTestId('pop-search-input'));
    byId('customer-new').run();
    expect(useCustomerStore.getState().openCustomerId).toBe('new');
  });

  it('two live calls: a switcher between their pops, newest first', async () => {
    usePhoneStore.setState((s) => ({ phone: { ...s.phone!, calls: [ringingCall('c1'), { ...ringingCall('c2'), state: 'active' }] } }));
    renderPop();
    pop({ callId: 'c2', trigger: 'ring', caller, headers: [], kind: 'match', matchedBy: 'phone', customer: customerFixture({ name: 'First' }), insight: { daysSinceLastContact: 1, dormant: false, birthday: null } });
    pop({ callId: 'c1', trigger: 'ring', caller, headers: [], kind: 'match', matchedBy: 'phone', customer: customerFixture({ name: 'Second' }), insight: { daysSinceLastContact: 1, dormant: false, birthday: null } });
    expect(screen.getByTestId('pop-name').textContent).toBe('Second');
    await userEvent.click(within(screen.getByTestId('pop-switch')).getByText('First'));
    expect(screen.getByTestId('pop-name').textContent).toBe('First');
    expect(screen.getByTestId('pop-call-state').textContent).toBe('Talking');
  });
});
