import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogRoot, createMemorySink } from '../../../../electron/core/log/logger';
import { createElectronNotifier } from '../../../../electron/os/notifier';
import { BrowserWindow, Notification, resetElectronFake } from '../../../fakes/electron';

vi.mock('electron', () => import('../../../fakes/electron'));

function setup(window: BrowserWindow | null = new BrowserWindow()) {
  const sink = createMemorySink();
  const notifier = createElectronNotifier(() => window as never, createLogRoot([sink]).createLogger('notify'));
  return { notifier, window, sink };
}

describe('createElectronNotifier', () => {
  beforeEach(() => resetElectronFake());

  it('shows an OS notification; clicking it brings the window forward', () => {
    const { notifier, window } = setup();
    notifier.notify('Incoming call', 'Acme Ltd');
    const [n] = Notification.instances;
    expect(n?.options).toEqual({ title: 'Incoming call', body: 'Acme Ltd' });
    expect(n?.show).toHaveBeenCalledTimes(1);
    expect(window!.focus).not.toHaveBeenCalled();
    n!.emit('click');
    expect(window!.focus).toHaveBeenCalledTimes(1);
  });

  it('shows plain, bounded text whatever it is given', () => {
    const { notifier } = setup();
    notifier.notify(`Evil\u202E \n${'x'.repeat(1000)}`, `a\u2066b\r\nc${'y'.repeat(1000)}`);
    const [n] = Notification.instances;
    expect(n?.options.title).toBe(`Evil ${'x'.repeat(114)}…`);
    expect(n?.options.body).toMatch(/^ab cy+…$/);
    expect(n?.options.body).toHaveLength(400);
  });

  it('focusWindow restores a minimised window, shows a hidden one and focuses it', () => {
    const { notifier, window } = setup();
    window!.minimized = true;
    notifier.focusWindow();
    expect(window!.restore).toHaveBeenCalledTimes(1);
    expect(window!.show).toHaveBeenCalledTimes(1);
    expect(window!.focus).toHaveBeenCalledTimes(1);
  });

  it('does nothing harmful without a window or without OS notification support', () => {
    const { notifier, sink } = setup(null);
    expect(() => notifier.focusWindow()).not.toThrow();
    Notification.supported = false;
    notifier.notify('t', 'b');
    expect(Notification.instances).toHaveLength(0);
    expect(sink.records.map((r) => r.msg)).toContain('os notifications not supported here');
  });
});
