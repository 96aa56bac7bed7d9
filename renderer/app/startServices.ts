import type { CalldeskApi } from '../../shared/api/client';
import { settingValue } from '../../shared/settings/definitions';
import type { Bridge } from '../api/bridge';
import { startMediaEngine, type MediaEngine } from '../media/mediaEngine';
import { useCoreStore } from '../stores/coreStore';
import { useCustomerStore } from '../stores/customerStore';
import { usePhoneStore } from '../stores/phoneStore';
import { useDialStore } from '../stores/dialStore';
import { useAgentStore } from '../stores/agentStore';
import { useInteractionStore } from '../stores/interactionStore';
import { useTaskStore } from '../stores/taskStore';
import { useTicketStore } from '../stores/ticketStore';
import { useSupervisorStore } from '../stores/supervisorStore';
import { useSyncStore } from '../stores/syncStore';
import { useQueueStore } from '../stores/queueStore';
import { useMonitorStore } from '../stores/monitorStore';

/** Shows the core's notifications as web notifications and brings the window forward. */
function attachNotifications(api: CalldeskApi): () => void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
  return api.app.onNotification(({ title, body, focus }) => {
    if (focus) window.focus();
    if (title && typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      const n = new Notification(title, { body, tag: 'calldesk-call' });
      n.onclick = () => window.focus();
    }
  });
}

/**
 * Call links clicked in other programs (Electron protocol handler) open the dial prompt for the
 * agent to confirm: a stray click never dials by itself.
 */
function attachCallLinks(bridge: Bridge): () => void {
  const take = async () => {
    const r = await bridge.api.call.takeLinks();
    const last = r.ok ? r.value.links.at(-1) : undefined;
    if (!last) return;
    useDialStore.getState().offer(last);
    window.focus();
  };
  const offEvent = bridge.api.call.onLinksPending(() => void take());
  const offConn = bridge.onConnection((s) => s === 'connected' && void take());
  return () => {
    offEvent();
    offConn();
  };
}

/** Everything the renderer runs besides React: stores, the media engine, notifications. */
export function startServices(bridge: Bridge): { media: MediaEngine; stop(): void } {
  const offCore = useCoreStore.getState().attach(bridge);
  const offPhone = usePhoneStore.getState().attach(bridge.api);
  const offCustomers = useCustomerStore.getState().attach(bridge.api);
  const offWorkflow = [useAgentStore, useTicketStore, useTaskStore, useInteractionStore].map((store) => store.getState().attach(bridge.api));
  offWorkflow.push(useSyncStore.getState().attach(bridge.api));
  offWorkflow.push(useSupervisorStore.getState().attach(bridge.api));
  offWorkflow.push(useQueueStore.getState().attach(bridge.api));
  offWorkflow.push(useMonitorStore.getState().attach(bridge.api));
  offWorkflow.push(
    bridge.onConnection((s) => {
      if (s !== 'connected') return;
      void useAgentStore.getState().refresh();
      void useSyncStore.getState().refresh();
      void useQueueStore.getState().refresh();
      for (const store of [useTicketStore, useTaskStore, useInteractionStore]) store.getState().refresh();
    }),
  );
  const settings = () => useCoreStore.getState().state?.settings;
  const media = startMediaEngine({
    api: bridge.api,
    onConnection: bridge.onConnection,
    iceServers: () => {
      const s = settings();
      return (s ? settingValue(s, 'sip.iceServers') : []) as RTCIceServer[];
    },
    devices: () => {
      const s = settings();
      return { microphone: s ? settingValue(s, 'media.microphone') : '', speaker: s ? settingValue(s, 'media.speaker') : '' };
    },
    codecOrder: () => {
      const s = settings();
      return s ? [...settingValue(s, 'media.codecOrder')] : [];
    },
    onQuality: (callId, sample) => {
      usePhoneStore.getState().setQuality(callId, sample);
      void bridge.api.call.quality({ callId, sample });
    },
  });
  const offNotify = attachNotifications(bridge.api);
  const offLinks = attachCallLinks(bridge);
  let speaker = '';
  const offSpeaker = useCoreStore.subscribe((s) => {
    const next = s.state ? settingValue(s.state.settings, 'media.speaker') : '';
    if (next !== speaker) {
      speaker = next;
      void media.host.applySpeaker();
    }
  });
  return {
    media,
    stop() {
      offCore();
      offPhone();
      offCustomers();
      for (const off of offWorkflow) off();
      offNotify();
      offLinks();
      offSpeaker();
      media.stop();
    },
  };
}
