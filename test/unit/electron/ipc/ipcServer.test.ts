import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type InvokeHandlers } from '../../../../shared/api/contract';
import { createDispatcher, type Dispatcher } from '../../../../electron/core/api/dispatcher';
import { CoreEvents } from '../../../../electron/core/events';
import { createLogRoot, createMemorySink } from '../../../../electron/core/log/logger';
import { startIpcServer } from '../../../../electron/ipc/ipcServer';
import { createAppUrlPolicy } from '../../../../electron/windows/appUrl';
import { BrowserWindow, FakeWebContents, fakeFrame, ipcMain, resetElectronFake, type FakeFrame } from '../../../fakes/electron';

vi.mock('electron', () => import('../../../fakes/electron'));

const policy = createAppUrlPolicy(null);

/** Every invoke channel answers its own name, so routing is observable. */
function echoHandlers(): InvokeHandlers {
  return Object.fromEntries(INVOKE_CHANNELS.map((c) => [c, () => ({ handledBy: c })])) as unknown as InvokeHandlers;
}

function setup(dispatcher?: Dispatcher) {
  const sink = createMemorySink();
  const root = createLogRoot([sink], 'debug');
  const events = new CoreEvents();
  const core = { dispatcher: dispatcher ?? createDispatcher(echoHandlers(), root.createLogger('api')), events };
  const window = new BrowserWindow() as BrowserWindow;
  let current: BrowserWindow | null = window;
  const server = startIpcServer({
    core,
    logger: root.createLogger('ipc'),
    getWindow: () => current as never,
    isAppUrl: policy.isAppUrl,
  });
  const invoke = (channel: string, payload: unknown, sender: FakeWebContents = window.webContents, senderFrame: FakeFrame | null = window.webContents.mainFrame) => {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ sender, senderFrame }, payload) as Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  };
  return { sink, events, window, server, invoke, setWindow: (w: BrowserWindow | null) => (current = w) };
}

const logLines = (sink: ReturnType<typeof createMemorySink>, msg: string) => sink.records.filter((r) => r.msg === msg);

describe('startIpcServer', () => {
  beforeEach(() => resetElectronFake());

  it('registers exactly one handler per invoke channel of the contract, and nothing else', () => {
    setup();
    const registered = ipcMain.handle.mock.calls.map(([channel]) => channel);
    expect(registered.length).toBe(INVOKE_CHANNELS.length);
    expect(new Set(registered).size).toBe(registered.length);
    expect([...registered].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('routes every invoke channel to the core dispatcher under its own name, over transport ipc', async () => {
    const invokeSpy = vi.fn(async (channel: string) => ({ ok: true as const, value: channel }));
    const { invoke } = setup({ invoke: invokeSpy });
    for (const channel of INVOKE_CHANNELS) {
      await expect(invoke(channel, { any: 'payload' })).resolves.toEqual({ ok: true, value: channel });
    }
    expect(invokeSpy.mock.calls.map((c) => c[0])).toEqual(INVOKE_CHANNELS);
    for (const call of invokeSpy.mock.calls) expect(call.slice(1)).toEqual([{ any: 'payload' }, { transport: 'ipc' }]);
  });

  it('answers our own top-level frame through the real dispatcher', async () => {
    const { invoke } = setup();
    await expect(invoke('app:info', undefined)).resolves.toEqual({ ok: true, value: { handledBy: 'app:info' } });
  });

  it('refuses a sender from another webContents with FORBIDDEN and a log line', async () => {
    const { invoke, sink } = setup();
    const other = new FakeWebContents('app://calldesk/index.html');
    const result = await invoke('app:info', undefined, other, other.mainFrame);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(logLines(sink, 'ipc sender refused')).toEqual([
      expect.objectContaining({ level: 'warn', scope: 'ipc', fields: expect.objectContaining({ channel: 'app:info', reason: 'sender is not the main window' }) }),
    ]);
  });

  it('refuses a subframe of our window, even one showing our own URL', async () => {
    const { invoke, sink, window } = setup();
    const sub = fakeFrame('app://calldesk/index.html', window.webContents.mainFrame);
    const result = await invoke('settings:get', undefined, window.webContents, sub);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(logLines(sink, 'ipc sender refused')[0]?.fields).toMatchObject({ reason: 'sender is not the top-level frame' });
  });

  it('refuses a top-level frame that is not the main frame (another frame token or process)', async () => {
    const { invoke, window } = setup();
    const impostor = fakeFrame('app://calldesk/index.html', null, window.webContents.mainFrame.processId);
    await expect(invoke('settings:get', undefined, window.webContents, impostor)).resolves.toMatchObject({ error: { code: 'FORBIDDEN' } });
    const otherProcess = { ...window.webContents.mainFrame, processId: 99 };
    await expect(invoke('settings:get', undefined, window.webContents, otherProcess)).resolves.toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('refuses our main frame once it shows another URL', async () => {
    const { invoke, sink, window } = setup();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://evil/index.html', 'http://localhost:5173/', 'about:blank']) {
      window.webContents.mainFrame.url = url;
      await expect(invoke('settings:get', undefined)).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(logLines(sink, 'ipc sender refused')).toHaveLength(5);
    expect(logLines(sink, 'ipc sender refused').every((r) => r.fields?.reason === 'sender frame is not our app page')).toBe(true);
  });

  it('refuses a call whose frame is gone, and any call while there is no window', async () => {
    const { invoke, setWindow, sink } = setup();
    await expect(invoke('app:info', undefined, undefined, null)).resolves.toMatchObject({ error: { code: 'FORBIDDEN' } });
    setWindow(null);
    await expect(invoke('app:info', undefined)).resolves.toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(logLines(sink, 'ipc sender refused').map((r) => r.fields?.reason)).toEqual(['sender frame is gone', 'no main window']);
  });

  it('never calls the core for a refused sender', async () => {
    const invokeSpy = vi.fn();
    const { invoke } = setup({ invoke: invokeSpy });
    const other = new FakeWebContents();
    await invoke('settings:set', { key: 'ui.language', value: 'zh-CN' }, other, other.mainFrame);
    expect(invokeSpy).not.toHaveBeenCalled();
  });

  it('answers a payload that fails its schema with INVALID_PAYLOAD and a log line', async () => {
    const { invoke, sink } = setup();
    const result = await invoke('settings:set', { key: 42 });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(result.error?.message).toMatch(/settings:set/);
    expect(logLines(sink, 'invalid payload')).toEqual([
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ channel: 'settings:set', transport: 'ipc' }) }),
    ]);
  });

  it('forwards every event channel to the main window', () => {
    const { events, window } = setup();
    for (const channel of EVENT_CHANNELS) events.emit(channel, { probe: channel } as never);
    expect(window.webContents.send.mock.calls).toEqual(EVENT_CHANNELS.map((c) => [c, { probe: c }]));
  });

  it('does not forward events to a page that is not ours, or to a destroyed window', () => {
    const { events, window } = setup();
    window.webContents.mainFrame.url = 'https://evil.example/';
    events.emit('app:notification', { title: 't', body: 'b', focus: false });
    window.webContents.mainFrame.url = 'app://calldesk/index.html';
    window.destroyed = true;
    events.emit('app:notification', { title: 't', body: 'b', focus: false });
    expect(window.webContents.send).not.toHaveBeenCalled();
  });

  it('close() removes every handler and stops forwarding events', () => {
    const { server, events, window } = setup();
    server.close();
    expect(ipcMain.handlers.size).toBe(0);
    events.emit('app:notification', { title: 't', body: 'b', focus: false });
    expect(window.webContents.send).not.toHaveBeenCalled();
  });
});

describe('ipcMain ownership', () => {
  it('electron/ipc/ipcServer.ts is the only module that uses ipcMain', () => {
    const root = path.resolve(__dirname, '../../../../electron');
    const users: string[] = [];
    const visit = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) visit(full);
        else if (/\.tsx?$/.test(entry.name) && /\bipcMain\b/.test(fs.readFileSync(full, 'utf8'))) users.push(path.relative(root, full).split(path.sep).join('/'));
      }
    };
    visit(root);
    expect(users).toEqual(['ipc/ipcServer.ts']);
  });
});
