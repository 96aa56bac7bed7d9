import type { CalldeskApi } from '../../shared/api/client';
import { serveMediaRequest } from '../../shared/phone/mediaHost';
import type { QualitySample } from '../../shared/phone/quality';
import { BrowserMediaHost, type DeviceChoice } from './browserMediaHost';
import { MonitorMixer } from './monitorMixer';

/** What the media engine needs from the rest of the renderer. */
export interface MediaEngineOptions {
  api: CalldeskApi;
  onConnection(listener: (state: 'connecting' | 'connected' | 'disconnected') => void): () => void;
  iceServers(): RTCIceServer[];
  devices(): DeviceChoice;
  codecOrder?(): string[];
  onQuality?(callId: string, sample: QualitySample): void;
}

/** A running media engine. */
export interface MediaEngine {
  host: BrowserMediaHost;
  /** Mixes supervisors' listen/whisper/barge legs into monitored calls (agent side). */
  mixer: MonitorMixer;
  hostId: string;
  stop(): void;
}

/**
 * Serves the core's `media:request`s with the browser media host and announces itself with
 * `media:ready` whenever the connection to the core is (re)established. A new page load has a new
 * host id, so the core re-INVITEs established calls and media resumes after a reload.
 */
export function startMediaEngine(options: MediaEngineOptions): MediaEngine {
  const hostId = `media-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const host = new BrowserMediaHost({
    iceServers: options.iceServers,
    devices: options.devices,
    ...(options.codecOrder ? { codecOrder: options.codecOrder } : {}),
    onQuality: options.onQuality,
    // Digits heard in a call's remote audio go to the core, which shows and logs them with the call.
    onDtmf: (callId, digit) => void options.api.call.dtmfReceived({ callId, digit }),
  });
  const offRequest = options.api.media.onRequest((req) => {
    void serveMediaRequest(host, req).then((response) => {
      if (response) void options.api.media.respond(response);
    });
  });
  const mixer = new MonitorMixer(host, { speaker: () => options.devices().speaker });
  const offMonitor = options.api.monitor.onState((state) => mixer.apply(state));
  const offConnection = options.onConnection((state) => {
    if (state !== 'connected') return;
    void options.api.media.ready({ hostId });
    void options.api.monitor.state().then((r) => r.ok && mixer.apply(r.value));
  });
  const unload = () => {
    mixer.stop();
    host.closeAll();
  };
  window.addEventListener('pagehide', unload);
  return {
    host,
    mixer,
    hostId,
    stop() {
      offRequest();
      offMonitor();
      offConnection();
      window.removeEventListener('pagehide', unload);
      mixer.stop();
      host.closeAll();
    },
  };
}
