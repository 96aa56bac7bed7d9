import { useEffect, useState } from 'react';

/** The audio devices of this machine, refreshed on hot-plug (devicechange). */
export function useAudioDevices(kind: 'audioinput' | 'audiooutput'): MediaDeviceInfo[] {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    if (!md?.enumerateDevices) return;
    let alive = true;
    const refresh = () =>
      void md
        .enumerateDevices()
        .then((all) => alive && setDevices(all.filter((d) => d.kind === kind && d.deviceId && d.deviceId !== 'default')))
        .catch(() => undefined);
    refresh();
    md.addEventListener?.('devicechange', refresh);
    return () => {
      alive = false;
      md.removeEventListener?.('devicechange', refresh);
    };
  }, [kind]);
  return devices;
}
