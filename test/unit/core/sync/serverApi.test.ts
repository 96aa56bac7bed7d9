import { describe, expect, it } from 'vitest';
import { ServerApi } from '../../../../electron/core/sync/serverApi';

/** A fake server: access token `new` is valid; `/auth/refresh` rotates the refresh token (a second use of the old one is refused). */
function fakeServer() {
  const refreshes: string[] = [];
  let valid = 'r1';
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    if (path === '/auth/refresh') {
      const { refreshToken } = JSON.parse(String(init.body)) as { refreshToken: string };
      refreshes.push(refreshToken);
      await new Promise((r) => setTimeout(r, 20));
      if (refreshToken !== valid) return new Response(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'refresh token used twice' } }), { status: 401 });
      valid = `r${refreshes.length + 1}`;
      return new Response(JSON.stringify({ accessToken: 'new', refreshToken: valid, expiresIn: 900, user: { id: 'alice', displayName: 'Alice', role: 'agent', team: null, disabled: false, version: 1 } }), { status: 200 });
    }
    const auth = (init.headers as Record<string, string>).authorization;
    if (auth !== 'Bearer new') return new Response(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'expired' } }), { status: 401 });
    return new Response(JSON.stringify([{ id: 'sales', name: 'Sales', loggedIn: true }]), { status: 200 });
  }) as unknown as typeof fetch;
  return { fetchImpl, refreshes };
}

describe('ServerApi token refresh', () => {
  it('requests that meet an expired token together share one refresh (the refresh token is spent once)', async () => {
    const server = fakeServer();
    const api = new ServerApi({ baseUrl: 'http://server.test', tokens: { accessToken: 'old', refreshToken: 'r1' }, fetch: server.fetchImpl });
    const answers = await Promise.all([api.myQueues(), api.myQueues(), api.myQueues()]);
    expect(answers).toEqual([0, 1, 2].map(() => [{ id: 'sales', name: 'Sales', loggedIn: true }]));
    expect(server.refreshes).toEqual(['r1']);
    expect(api.signedIn).toBe(true);
  });
});
