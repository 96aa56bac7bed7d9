import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createElectronNetworkMonitor } from '../../../../electron/os/networkMonitor';

describe('createElectronNetworkMonitor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(initiallyOnline = true) {
    const powerMonitor = new EventEmitter();
    let online = initiallyOnline;
    const monitor = createElectronNetworkMonitor({ powerMonitor: powerMonitor as never, net: { isOnline: () => online }, pollMs: 1000 });
    return { powerMonitor, monitor, setOnline: (v: boolean) => (online = v) };
  }

  it('emits resume when the machine wakes up', () => {
    const { powerMonitor, monitor } = setup();
    const resume = vi.fn();
    monitor.on('resume', resume);
    powerMonitor.emit('resume');
    expect(resume).toHaveBeenCalledTimes(1);
  });

  it('emits online once per offline -> online transition, not while staying online', () => {
    const { monitor, setOnline } = setup(true);
    const online = vi.fn();
    monitor.on('online', online);
    vi.advanceTimersByTime(3000);
    expect(online).not.toHaveBeenCalled();
    setOnline(false);
    vi.advanceTimersByTime(1000);
    setOnline(true);
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(5000);
    expect(online).toHaveBeenCalledTimes(1);
  });

  it('unsubscribe and close stop delivery; a throwing listener does not stop the others', () => {
    const { powerMonitor, monitor } = setup();
    const bad = vi.fn(() => {
      throw new Error('boom');
    });
    const good = vi.fn();
    const off = monitor.on('resume', bad);
    monitor.on('resume', good);
    powerMonitor.emit('resume');
    expect(good).toHaveBeenCalledTimes(1);
    off();
    powerMonitor.emit('resume');
    expect(bad).toHaveBeenCalledTimes(1);
    monitor.close();
    expect(powerMonitor.listenerCount('resume')).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
