import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../../../electron/windows/appProtocol';
import { electronCsp } from '../../../../electron/windows/csp';

describe('createAppProtocolHandler', () => {
  let base: string;
  let rendererDir: string;
  let handler: (request: Request) => Promise<Response>;

  beforeAll(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-proto-'));
    rendererDir = path.join(base, 'renderer');
    fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><p>app</p>');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'main.js'), 'console.log(1)');
    fs.writeFileSync(path.join(base, 'secret.txt'), 'TOP SECRET');
    handler = createAppProtocolHandler(rendererDir, electronCsp());
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  it('serves index.html with the CSP header', async () => {
    const res = await get('app://calldesk/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toBe(electronCsp());
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<p>app</p>');
  });

  it('serves assets with their type, and index.html for app routes', async () => {
    const js = await get('app://calldesk/assets/main.js');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(await js.text()).toBe('console.log(1)');
    expect(await (await get('app://calldesk/settings/general')).text()).toContain('<p>app</p>');
    expect(await (await get('app://calldesk/')).text()).toContain('<p>app</p>');
  });

  it('answers 404 for a missing asset instead of index.html', async () => {
    expect((await get('app://calldesk/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const url of ['app://calldesk/../secret.txt', 'app://calldesk/%2e%2e/secret.txt', 'app://calldesk/assets/..%2f..%2fsecret.txt', 'app://calldesk/..%5csecret.txt']) {
      const res = await get(url);
      expect(await res.text(), url).not.toContain('TOP SECRET');
    }
  });

  it('refuses other hosts and non-GET methods', async () => {
    expect((await get('app://evil/index.html')).status).toBe(404);
    expect((await get('app://calldesk/index.html', 'POST')).status).toBe(405);
  });
});
