import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PATH } from '../../shared/api/wsProtocol';
import { startBrowserHost, type BrowserHost } from '../../electron/host/startBrowserHost';
import { ROOT, startHostProcess, tempDataDir } from '../helpers/hostProcess';
import { createTestCore } from '../helpers/testCore';
import { measure, report } from './harness';

const hosts: BrowserHost[] = [];
afterAll(() => Promise.all(hosts.map((h) => h.close())));

describe('foundation benchmarks', () => {
  it('core cold start to ready', async () => {
    const figures = await measure('core cold start to ready (new data dir)', 30, async () => {
      const { core } = await createTestCore();
      await core.close();
    }, 3);
    const warm = tempDataDir();
    const again = await measure('core start to ready (existing data dir)', 30, async () => {
      const { core } = await createTestCore({ dataDir: warm });
      await core.close();
    }, 3);
    const process = await measure('host process spawn to serving (node + core + http)', 8, async () => {
      const host = await startHostProcess();
      await host.stop();
    }, 1);
    report(figures, again, process);
    expect(figures.n).toBe(30);
  });

  it('invoke round trip over the WebSocket transport', async () => {
    const host = await startBrowserHost({ appRoot: ROOT, dataDir: tempDataDir(), env: {} });
    hosts.push(host);
    const ws = new WebSocket(`ws://127.0.0.1:${host.web.port}${WS_PATH}?token=${host.web.token}`, { origin: host.web.origin });
    await new Promise((r) => ws.once('open', r));
    let id = 0;
    const waiters = new Map<number, () => void>();
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { type: string; id?: number };
      if (m.type === 'result' && m.id !== undefined) waiters.get(m.id)?.();
    });
    const roundTrip = (channel: string, payload?: unknown) =>
      new Promise<void>((resolve) => {
        const my = ++id;
        waiters.set(my, () => (waiters.delete(my), resolve()));
        ws.send(JSON.stringify({ type: 'invoke', id: my, channel, payload }));
      });
    const get = await measure('invoke round trip ws settings:get', 2000, () => roundTrip('settings:get'));
    const set = await measure('invoke round trip ws settings:set (SQLite write)', 500, () => roundTrip('settings:set', { key: 'ui.compact', value: true }));
    report(get, set);
    ws.close();
    expect(get.n).toBe(2000);
  });
});
