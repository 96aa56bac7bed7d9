import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalldeskApi } from '../../../../shared/api/client';
import { fail, ok, type Result } from '../../../../shared/api/result';
import type { SyncState } from '../../../../shared/sync/api';
import { useSyncStore } from '../../../../renderer/stores/syncStore';
import { fakeSyncApi, syncStateFixture, syncUserFixture } from '../../../fakes/fakeSyncApi';

let detach: () => void = () => undefined;

beforeEach(() => useSyncStore.setState({ sync: null }));
afterEach(() => detach());

describe('sync store', () => {
  it('reads the state on attach and mirrors every pushed state', async () => {
    const fake = fakeSyncApi(syncStateFixture({ connection: 'offline', outboxDepth: 2 }));
    detach = useSyncStore.getState().attach(fake.api);
    await useSyncStore.getState().refresh();
    expect(useSyncStore.getState().sync).toMatchObject({ connection: 'offline', outboxDepth: 2 });
    fake.push(syncStateFixture({ connection: 'online', outboxDepth: 0 }));
    expect(useSyncStore.getState().sync).toMatchObject({ connection: 'online', outboxDepth: 0 });
    detach();
    expect(fake.listeners.size).toBe(0);
  });

  it('a slow initial read does not overwrite a newer pushed state', async () => {
    const fake = fakeSyncApi();
    let answer: (r: Result<SyncState>) => void = () => undefined;
    fake.sync.state.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    detach = useSyncStore.getState().attach(fake.api);
    fake.push(syncStateFixture({ connection: 'online', outboxDepth: 5 }));
    answer(ok(syncStateFixture({ connection: 'connecting' })));
    await Promise.resolve();
    await Promise.resolve();
    expect(useSyncStore.getState().sync).toMatchObject({ connection: 'online', outboxDepth: 5 });
  });

  it('sign-in sends the request and keeps the answered state; a refusal leaves the state alone', async () => {
    const fake = fakeSyncApi();
    detach = useSyncStore.getState().attach(fake.api);
    await useSyncStore.getState().refresh();
    fake.sync.signIn.mockResolvedValueOnce(fail('UNAUTHORIZED', 'invalid credentials'));
    const refused = await useSyncStore.getState().signIn({ url: 'https://calldesk.example.com', username: 'lina', password: 'nope' });
    expect(refused).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'invalid credentials' } });
    expect(useSyncStore.getState().sync?.user).toBeNull();
    fake.sync.signIn.mockResolvedValueOnce(ok(syncStateFixture({ connection: 'online', user: syncUserFixture() })));
    const r = await useSyncStore.getState().signIn({ url: 'https://calldesk.example.com', username: 'lina', password: 'secret' });
    expect(r.ok).toBe(true);
    expect(fake.sync.signIn).toHaveBeenLastCalledWith({ url: 'https://calldesk.example.com', username: 'lina', password: 'secret' });
    expect(useSyncStore.getState().sync?.user?.id).toBe('u-lina');
  });

  it('a core without sync channels leaves the store empty and actions answer DISCONNECTED', async () => {
    detach = useSyncStore.getState().attach({} as CalldeskApi);
    await useSyncStore.getState().refresh();
    expect(useSyncStore.getState().sync).toBeNull();
    const r = await useSyncStore.getState().retry();
    expect(r.ok ? null : r.error.code).toBe('DISCONNECTED');
  });
});
