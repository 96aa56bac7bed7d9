import { EventEmitter } from 'node:events';
import type os from 'node:os';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createElectronNetworkMonitor } from '../../../../electron/os/networkMonitor';

const nic = (address: string, internal = false): os.NetworkInterfaceInfo =>
  ({ address, internal, family: 'IPv4', netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: `${address}/24` }) as os.NetworkInterfaceInfo;

describe('createElectronNetworkMonitor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(initiallyOnline = true) {
    const powerMonitor = new EventEmitter();
    let online = initiallyOnline;
    let ifaces: Record<string, os.NetworkInterfaceInfo[]> = { lo: [nic('127.0.0.1', true)], eth0: [nic('10.0.0.5')] };
    const monitor = createElectronNetworkMonitor({
      powerMonitor: powerMonitor as never,
      net: { isOnline: () => online },
      interfaces: () => ifaces,
      pollMs: 1000,
    });
    const signals: string[] = [];
    monitor.onSignal((s) => signals.push(s));
    return { powerMonitor, monitor, signals, setOnline: (v: boolean) => (online = v), setInterfaces: (v: typeof ifaces) => (ifaces = v) };
  }

  it('signals resume when the machine wakes up', () => {
    const { powerMonitor, signals } = setup();
    powerMonitor.emit('resume');
    expect(signals).toEqual(['resume']);
  });

  it('signals network-change once per offline -> online transition, nothing while the network stays up', () => {
    const { signals, setOnline } = setup(true);
    vi.advanceTimersByTime(3000);
    expect(signals).toEqual([]);
    setOnline(false);
    vi.advanceTimersByTime(1000);
    setOnline(true);
    vi.advanceTimersByTime(5000);
    expect(signals).toEqual(['network-change']);
  });

  it('signals network-change when the external addresses change (Wi-Fi switch, VPN), not for loopback', () => {
    const { signals, setInterfaces } = setup(true);
    setInterfaces({ lo: [nic('127.0.0.2', true)], eth0: [nic('10.0.0.5')] });
    vi.advanceTimersByTime(1000);
    expect(signals).toEqual([]);
    setInterfaces({ lo: [nic('127.0.0.1', true)], wlan0: [nic('192.168.1.20')] });
    vi.advanceTimersByTime(3000);
    expect(signals).toEqual(['network-change']);
  });

  it('unsubscribe and close stop delivery; a throwing listener does not stop the others', () => {
    const { powerMonitor, monitor, signals } = setup();
    const bad = vi.fn(() => {
      throw new Error('boom');
    });
    const off = monitor.onSignal(bad);
    powerMonitor.emit('resume');
    expect(signals).toEqual(['resume']);
    off();
    powerMonitor.emit('resume');
    expect(bad).toHaveBeenCalledTimes(1);
    monitor.close();
    expect(powerMonitor.listenerCount('resume')).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
