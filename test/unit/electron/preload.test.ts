import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { channelPath } from '../../../shared/api/client';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../../shared/api/contract';
import { contextBridge, ipcRenderer, resetElectronFake } from '../../fakes/electron';

vi.mock('electron', () => import('../../fakes/electron'));

type Api = Record<string, Record<string, (...args: unknown[]) => unknown>>;

/** Every value reachable from the exposed object, with its path. */
function walk(value: unknown, path = 'calldesk', out: { path: string; value: unknown }[] = []) {
  out.push({ path, value });
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`, out);
  return out;
}

describe('preload', () => {
  let api: Api;
  let exposeCalls: unknown[][];

  beforeAll(async () => {
    resetElectronFake();
    await import('../../../electron/preload');
    exposeCalls = [...contextBridge.exposeInMainWorld.mock.calls];
    api = contextBridge.exposed.get('calldesk') as Api;
  });

  beforeEach(() => {
    ipcRenderer.invoke.mockReset();
    ipcRenderer.removeAllListeners();
  });

  it('exposes one object, window.calldesk, and nothing else', () => {
    expect(exposeCalls.map((c) => c[0])).toEqual(['calldesk']);
  });

  it('has one function per contract channel, grouped by domain, and no other members', () => {
    for (const channel of INVOKE_CHANNELS) {
      const [domain, verb] = channelPath(channel);
      expect(typeof api[domain]?.[verb], channel).toBe('function');
    }
    for (const channel of EVENT_CHANNELS) {
      const [domain, name] = channelPath(channel, 'on');
      expect(typeof api[domain]?.[name], channel).toBe('function');
    }
    const functions = walk(api).filter((e) => typeof e.value === 'function');
    expect(functions).toHaveLength(INVOKE_CHANNELS.length + EVENT_CHANNELS.length);
  });

  it('never exposes ipcRenderer or channel strings', () => {
    const everything = walk(api);
    expect(everything.some((e) => e.value === ipcRenderer)).toBe(false);
    expect(everything.filter((e) => typeof e.value !== 'function' && (typeof e.value !== 'object' || e.value === null))).toEqual([]);
    const keys = everything.map((e) => e.path);
    for (const channel of [...INVOKE_CHANNELS, ...EVENT_CHANNELS]) expect(keys.some((k) => k.includes(channel))).toBe(false);
    const names = keys.map((k) => k.split('.').pop());
    for (const transportName of ['ipcRenderer', 'invoke', 'send', 'sendSync', 'on', 'removeListener', 'subscribe']) expect(names).not.toContain(transportName);
  });

  it('invokes the matching channel with the payload and returns the main process answer', async () => {
    ipcRenderer.invoke.mockResolvedValue({ ok: true, value: { saved: true } });
    await expect(api.settings!.set!({ key: 'ui.language', value: 'zh-CN' })).resolves.toEqual({ ok: true, value: { saved: true } });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('settings:set', { key: 'ui.language', value: 'zh-CN' });
    await api.app!.info!();
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('app:info', undefined);
  });

  it('turns a rejected invoke (no handler, main process gone) into a failed Result, never a throw', async () => {
    ipcRenderer.invoke.mockRejectedValue(new Error("No handler registered for 'app:info'"));
    await expect(api.app!.info!()).resolves.toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/No handler/) } });
  });

  it('on* delivers the payload only (never the IPC event) and its unsubscribe really removes the listener', () => {
    const listener = vi.fn();
    const off = api.core!.onState!(listener) as () => void;
    expect(ipcRenderer.listenerCount('core:state')).toBe(1);
    const event = { sender: ipcRenderer };
    ipcRenderer.emit('core:state', event, { ready: true });
    expect(listener.mock.calls).toEqual([[{ ready: true }]]);

    off();
    expect(ipcRenderer.listenerCount('core:state')).toBe(0);
    ipcRenderer.emit('core:state', event, { ready: false });
    expect(listener).toHaveBeenCalledTimes(1);
    off();
    expect(ipcRenderer.listenerCount('core:state')).toBe(0);
  });

  it('unsubscribing one listener leaves the others subscribed', () => {
    const a = vi.fn();
    const b = vi.fn();
    const offA = api.app!.onNotification!(a) as () => void;
    api.app!.onNotification!(b);
    offA();
    ipcRenderer.emit('app:notification', {}, { title: 'x', body: 'y', focus: false });
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledWith({ title: 'x', body: 'y', focus: false });
  });
});
