import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { CalldeskApi } from '../../shared/api/client';
import type { Result } from '../../shared/api/result';

/** What a store's request resolves to while no API is attached (before start-up, after teardown). */
export const DISCONNECTED: Result<never> = { ok: false, error: { code: 'DISCONNECTED', message: 'Not connected' } };

/** The API a store works over: the one `attach` was given, until its teardown. */
export interface ApiLink {
  /** The attached API; null before `attach` and after its teardown. */
  readonly api: CalldeskApi | null;
  /** Runs a request over the attached API; {@link DISCONNECTED} when none is attached. */
  call<T>(action: (api: CalldeskApi) => Promise<Result<T>>): Promise<Result<T>>;
}

/** What every API-backed store offers (startServices attaches them all the same way). */
export interface ApiStore {
  /** Keeps the API for the store's requests and subscribes to its events; returns the teardown. */
  attach(api: CalldeskApi): () => void;
  /** Runs any request of this domain over the attached API ({@link DISCONNECTED} without one). */
  call<T>(action: (api: CalldeskApi) => Promise<Result<T>>): Promise<Result<T>>;
}

type SetState<S> = StoreApi<S>['setState'];
type GetState<S> = StoreApi<S>['getState'];

/**
 * The one way the renderer builds a store that mirrors a core domain: zustand state from `build`,
 * plus `attach` and `call` over an {@link ApiLink} that `build` gets too (no module-level API
 * variable, no per-store "not connected" result). `subscribe` runs on each `attach` and returns the
 * unsubscribe for the pushed events of the domain.
 */
export function createApiStore<S extends ApiStore>(
  build: (set: SetState<S>, get: GetState<S>, link: ApiLink) => Omit<S, keyof ApiStore>,
  subscribe: (api: CalldeskApi, set: SetState<S>, get: GetState<S>) => (() => void) | void = () => undefined,
): UseBoundStore<StoreApi<S>> {
  return create<S>((set, get) => {
    let current: CalldeskApi | null = null;
    const link: ApiLink = {
      get api() {
        return current;
      },
      call: (action) => (current ? action(current) : Promise.resolve(DISCONNECTED)),
    };
    const common: ApiStore = {
      attach(api) {
        current = api;
        const off = subscribe(api, set, get);
        return () => {
          off?.();
          if (current === api) current = null;
        };
      },
      call: link.call,
    };
    return { ...build(set, get, link), ...common } as S;
  });
}
