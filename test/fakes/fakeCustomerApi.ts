import type { CustomerInsight } from '../../shared/insight/record';
import { vi } from 'vitest';
import type { CalldeskApi } from '../../shared/api/client';
import { ok, type Result } from '../../shared/api/result';
import type { ScreenPopResult } from '../../shared/customer/screenPop';
import type { Customer, CustomerSummary, OwnerChange } from '../../shared/customer/schema';

const DAY = 86_400_000;

/** A stored customer for renderer tests (Zhang Wei, the demo VIP), with overrides. */
export function customerFixture(overrides: Partial<Customer> = {}): Customer {
  const now = Date.now();
  const today = new Date(now);
  return {
    id: 1,
    code: 'VIP-0001',
    name: '张伟',
    company: '深圳市腾飞科技有限公司',
    type: 'person',
    status: 'contracted',
    level: 'vip',
    source: 'referral',
    creditRating: 'AAA',
    points: 12800,
    ownerId: 'agent-1',
    tags: ['VIP', '投诉中'],
    birthday: `1985-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`,
    preferredLanguage: 'zh-CN',
    preferences: '偏好下午致电',
    notes: '上月投诉物流延误',
    contactPermissions: { call: true, sms: true, email: true },
    lifetimeValue: 268000,
    lifecycleStage: 'maturity',
    lastContactAt: now - 12 * DAY - 1000,
    serverVersion: null,
    revision: 3,
    createdAt: now - 400 * DAY,
    updatedAt: now - 12 * DAY,
    phones: [
      { raw: '0755-8888 1234', e164: '+8675588881234', extension: null, label: 'work', primary: true },
      { raw: '139 2233 4455', e164: '+8613922334455', extension: null, label: 'mobile', primary: false },
    ],
    emails: [{ address: 'zhang.wei@tengfei.example.cn', label: 'work', primary: true }],
    addresses: [],
    ...overrides,
  };
}

/** The search row of a customer. */
export function summaryOf(c: Customer): CustomerSummary {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    company: c.company,
    type: c.type,
    status: c.status,
    level: c.level,
    lifecycleStage: c.lifecycleStage,
    ownerId: c.ownerId,
    tags: c.tags,
    lastContactAt: c.lastContactAt,
    primaryPhone: c.phones[0]?.raw ?? null,
    primaryEmail: c.emails[0]?.address ?? null,
  };
}

/** A fake `window.calldesk` with the customer and call channels as vi.fn, plus a pop emitter. */
export function fakeCustomerApi() {
  const popListeners = new Set<(r: ScreenPopResult) => void>();
  const loggedListeners = new Set<(e: { customerId: number | null }) => void>();
  const customer = {
    search: vi.fn(async (_req: unknown) => ok({ items: [] as CustomerSummary[], total: 0, capped: false })),
    get: vi.fn(async ({ id }: { id: number }): Promise<Result<Customer>> => ok(customerFixture({ id }))),
    save: vi.fn(async (req: Record<string, unknown>): Promise<Result<Customer>> => ok(customerFixture({ id: 99, ...(req as Partial<Customer>), phones: [] }))),
    reassign: vi.fn(),
    ownerHistory: vi.fn(async (_req: unknown) => ok([] as OwnerChange[])),
    lookupCaller: vi.fn(),
    screenPop: vi.fn(),
    popChoose: vi.fn(async (_req: { callId: string; customerId: number }): Promise<Result<unknown>> => ok({})),
    previewCsv: vi.fn(),
    importCsv: vi.fn(),
    exportCsv: vi.fn(),
    onPop: (l: (r: ScreenPopResult) => void) => {
      popListeners.add(l);
      return () => popListeners.delete(l);
    },
  };
  const call = {
    dial: vi.fn(async (_req: { target: string }) => ok({})),
    answer: vi.fn(async (_req: { callId: string }) => ok({})),
    reject: vi.fn(async (_req: { callId: string }) => ok({})),
  };
  const phone = { state: vi.fn(async () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'fake' } })), onState: () => () => undefined };
  const interaction = {
    onLogged: (l: (e: { customerId: number | null }) => void) => {
      loggedListeners.add(l);
      return () => loggedListeners.delete(l);
    },
  };
  /** Purchase insight synced from the server: none by default. */
  const insight = { get: vi.fn(async (_req: { customerId: number }): Promise<Result<{ insight: CustomerInsight | null }>> => ok({ insight: null })) };
  const api = { customer, call, phone, interaction, insight } as unknown as CalldeskApi;
  return {
    api,
    customer,
    call,
    insight,
    pop: (r: ScreenPopResult) => popListeners.forEach((l) => l(r)),
    /** Emits `interaction:logged` (only `customerId` is read by the customer store). */
    logged: (e: { customerId: number | null }) => loggedListeners.forEach((l) => l(e)),
  };
}
