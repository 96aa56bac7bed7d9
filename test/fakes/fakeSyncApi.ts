import { vi } from 'vitest';
import type { CalldeskApi } from '../../shared/api/client';
import { ok, type Result } from '../../shared/api/result';
import type { SyncNotice, SyncSignIn, SyncState } from '../../shared/sync/api';
import type { User } from '../../shared/sync/protocol';

/** A signed-in user for renderer tests (Li Na, supervisor of team A). */
export function syncUserFixture(overrides: Partial<User> = {}): User {
  return { id: 'u-lina', displayName: '李娜', role: 'supervisor', team: 'team-a', disabled: false, version: 3, ...overrides };
}

/** A sync state for renderer tests: signed out from https://calldesk.example.com, nothing pending, with overrides. */
export function syncStateFixture(overrides: Partial<SyncState> = {}): SyncState {
  return {
    connection: 'signed-out',
    realtime: false,
    outboxDepth: 0,
    pull: null,
    lastSyncAt: null,
    lastError: null,
    nextRetryAt: null,
    serverUrl: 'https://calldesk.example.com',
    user: null,
    ...overrides,
  };
}

/** A fake `window.calldesk` with the sync channels as vi.fn, plus `push` to send a `sync:state` event and `notice` a `sync:notice`. */
export function fakeSyncApi(initial: SyncState = syncStateFixture()) {
  const listeners = new Set<(s: SyncState) => void>();
  const noticeListeners = new Set<(n: SyncNotice) => void>();
  const sync = {
    state: vi.fn(async (): Promise<Result<SyncState>> => ok(initial)),
    signIn: vi.fn(async (_req: SyncSignIn): Promise<Result<SyncState>> => ok(initial)),
    signOut: vi.fn(async (): Promise<Result<SyncState>> => ok(syncStateFixture())),
    retry: vi.fn(async (): Promise<Result<SyncState>> => ok(initial)),
    onState: (l: (s: SyncState) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onNotice: (l: (n: SyncNotice) => void) => {
      noticeListeners.add(l);
      return () => noticeListeners.delete(l);
    },
  };
  const api = { sync } as unknown as CalldeskApi;
  return { api, sync, push: (s: SyncState) => listeners.forEach((l) => l(s)), notice: (n: SyncNotice) => noticeListeners.forEach((l) => l(n)), listeners };
}
