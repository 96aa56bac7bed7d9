import { describe, expect, it, vi } from 'vitest';
import type { CalldeskApi } from '../../../../shared/api/client';
import type { Result } from '../../../../shared/api/result';
import { createApiStore, DISCONNECTED, type ApiStore } from '../../../../renderer/stores/createApiStore';
import { useAgentStore } from '../../../../renderer/stores/agentStore';
import { useCustomerStore } from '../../../../renderer/stores/customerStore';
import { useInteractionStore } from '../../../../renderer/stores/interactionStore';
import { usePhoneStore } from '../../../../renderer/stores/phoneStore';
import { useSyncStore } from '../../../../renderer/stores/syncStore';
import { useTaskStore } from '../../../../renderer/stores/taskStore';
import { useTicketStore } from '../../../../renderer/stores/ticketStore';

interface CounterStore extends ApiStore {
  count: number;
  bump(): void;
  version(): Promise<Result<string>>;
}

/** A stand-in API: only what the counter store touches. */
function fakeApi(version: string) {
  const listeners: Array<() => void> = [];
  const api = {
    app: { info: vi.fn(async () => ({ ok: true, value: { version } })) },
    onBump: (fn: () => void) => {
      listeners.push(fn);
      return () => listeners.splice(listeners.indexOf(fn), 1);
    },
  };
  return { api: api as unknown as CalldeskApi & { onBump: typeof api.onBump }, fire: () => listeners.forEach((l) => l()), listeners };
}

function counterStore() {
  return createApiStore<CounterStore>(
    (set, _get, link) => ({
      count: 0,
      bump: () => set((s) => ({ count: s.count + 1 })),
      version: () => link.call(async (api) => {
        const r = await api.app.info();
        return r.ok ? { ok: true, value: (r.value as { version: string }).version } : r;
      }),
    }),
    (api, _set, get) => (api as ReturnType<typeof fakeApi>['api']).onBump(() => get().bump()),
  );
}

describe('createApiStore', () => {
  it('answers DISCONNECTED before attach, runs requests over the attached API, and subscribes to its events', async () => {
    const store = counterStore();
    expect(await store.getState().version()).toEqual(DISCONNECTED);
    expect(await store.getState().call(async () => ({ ok: true, value: 1 }))).toEqual(DISCONNECTED);

    const fake = fakeApi('1.2.3');
    const detach = store.getState().attach(fake.api);
    expect(await store.getState().version()).toEqual({ ok: true, value: '1.2.3' });
    expect(await store.getState().call(async (api) => ({ ok: true, value: api === fake.api }))).toEqual({ ok: true, value: true });
    fake.fire();
    fake.fire();
    expect(store.getState().count).toBe(2);

    detach();
    expect(fake.listeners).toHaveLength(0);
    expect(await store.getState().version()).toEqual(DISCONNECTED);
  });

  it('a teardown of an older attach leaves a newer API in place', async () => {
    const store = counterStore();
    const first = fakeApi('1');
    const second = fakeApi('2');
    const detachFirst = store.getState().attach(first.api);
    store.getState().attach(second.api);
    detachFirst();
    expect(await store.getState().version()).toEqual({ ok: true, value: '2' });
  });

  it('every API-backed store of the renderer is built by it: attach and call behave the same everywhere', async () => {
    const stores = [useAgentStore, useCustomerStore, useInteractionStore, usePhoneStore, useSyncStore, useTaskStore, useTicketStore];
    for (const store of stores) {
      expect(await store.getState().call(async () => ({ ok: true, value: 'reached' }))).toEqual(DISCONNECTED);
    }
  });
});
