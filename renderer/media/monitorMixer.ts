import type { MonitorSession, MonitorState } from '../../shared/monitor/api';
import type { MonitorMode } from '../../shared/monitor/token';

/** What the mixer needs from the media engine (BrowserMediaHost). */
export interface MixerMediaHost {
  remoteStream(callId: string): MediaStream | undefined;
  /** What a call sends (on hold: what resume sends). */
  sendTrack(callId: string): MediaStreamTrack | null;
  /** Replaces what a call sends (on hold: what resume sends). */
  setSendTrack(callId: string, track: MediaStreamTrack): Promise<void>;
  setPlaybackMuted(callId: string, muted: boolean): void;
}

/** Options of the mixer. */
export interface MonitorMixerOptions {
  /** The agent's speaker ('' = default), for the element that plays what the agent hears. */
  speaker(): string;
  createContext?(): AudioContext;
  document?: Document;
  /** How often a session whose media is not ready yet is tried again (ms). */
  retryMs?: number;
}

interface Mix {
  callId: string;
  mode: MonitorMode;
  /** The agent's own microphone track, given back to the customer leg when the session ends. */
  micTrack: MediaStreamTrack;
  /** Supervisor -> customer (open in barge). */
  toCustomerGain: GainNode;
  /** Supervisor -> agent's ear (open in whisper and barge). */
  toAgentGain: GainNode;
  /** What the agent hears: customer + (gated) supervisor. */
  ear: MediaStreamAudioDestinationNode;
  earElement: HTMLAudioElement;
  nodes: AudioNode[];
}

/** Gains of the supervisor's voice per mode (shared/monitor/token.ts has the table). */
export function supervisorGains(mode: MonitorMode): { toAgent: number; toCustomer: number } {
  switch (mode) {
    case 'listen':
      return { toAgent: 0, toCustomer: 0 };
    case 'whisper':
      return { toAgent: 1, toCustomer: 0 };
    case 'barge':
      return { toAgent: 1, toCustomer: 1 };
  }
}

/**
 * The agent's side of listen / whisper / barge (docs/monitoring.md): mixes a supervisor's SIP leg
 * into the monitored call with WebAudio.
 *
 * ```
 *   mic ----------+--------------------------> to supervisor (leg sender)
 *   customer -----+--> agent's ear <-- gain(whisper|barge) -- supervisor
 *   mic ----------+--> to customer (call sender) <-- gain(barge) -- supervisor
 * ```
 * During the session the customer's and the supervisor's own audio elements are muted; the ear
 * plays on the agent's speaker. When the session ends the customer leg gets the microphone back.
 */
export class MonitorMixer {
  private ctx: AudioContext | null = null;
  private readonly mixes = new Map<string, Mix>();
  private readonly pending = new Map<string, MonitorSession>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly doc: Document;

  constructor(
    private readonly host: MixerMediaHost,
    private readonly options: MonitorMixerOptions,
  ) {
    this.doc = options.document ?? document;
  }

  /** Applies the core's monitoring snapshot (`monitor:state`). Supervisor-side sessions need no mixing. */
  apply(state: MonitorState): void {
    const live = new Set<string>();
    for (const s of state.sessions) {
      if (s.role !== 'agent' || s.state === 'ended') continue;
      live.add(s.id);
      this.host.setPlaybackMuted(s.id, true);
      const mix = this.mixes.get(s.id);
      if (mix) this.setMode(mix, s.mode);
      else if (s.state === 'active') this.pending.set(s.id, s);
    }
    for (const id of [...this.mixes.keys(), ...this.pending.keys()]) if (!live.has(id)) this.end(id);
    this.tryPending();
  }

  /** Session ids being mixed now (diagnostics, tests). */
  sessionIds(): string[] {
    return [...this.mixes.keys()];
  }

  /** What the agent hears during a session: customer + supervisor as the mode says (diagnostics, tests). */
  earStream(sessionId: string): MediaStream | undefined {
    return this.mixes.get(sessionId)?.ear.stream;
  }

  /** Ends every mix (page unload). */
  stop(): void {
    for (const id of [...this.mixes.keys(), ...this.pending.keys()]) this.end(id);
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
  }

  private tryPending(): void {
    for (const [id, s] of this.pending) {
      const mix = this.build(s);
      if (!mix) continue;
      this.pending.delete(id);
      this.mixes.set(id, mix);
    }
    if (this.pending.size > 0 && !this.timer) this.timer = setInterval(() => this.tryPending(), this.options.retryMs ?? 200);
    if (this.pending.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** Builds the graph once both legs have media; null while one is not ready. */
  private build(s: MonitorSession): Mix | null {
    const customer = this.host.remoteStream(s.callId);
    const supervisor = this.host.remoteStream(s.id);
    const micTrack = this.host.sendTrack(s.callId);
    if (!micTrack || !this.host.sendTrack(s.id) || !customer?.getAudioTracks().length || !supervisor?.getAudioTracks().length) return null;

    const ctx = (this.ctx ??= this.options.createContext?.() ?? new AudioContext());
    void ctx.resume().catch(() => undefined);
    const mic = ctx.createMediaStreamSource(new MediaStream([micTrack]));
    const cust = ctx.createMediaStreamSource(customer);
    const sup = ctx.createMediaStreamSource(supervisor);
    const toSupervisor = ctx.createMediaStreamDestination();
    const toCustomer = ctx.createMediaStreamDestination();
    const ear = ctx.createMediaStreamDestination();
    const toCustomerGain = ctx.createGain();
    const toAgentGain = ctx.createGain();
    mic.connect(toSupervisor);
    cust.connect(toSupervisor);
    mic.connect(toCustomer);
    sup.connect(toCustomerGain).connect(toCustomer);
    cust.connect(ear);
    sup.connect(toAgentGain).connect(ear);

    void this.host.setSendTrack(s.id, toSupervisor.stream.getAudioTracks()[0]!);
    void this.host.setSendTrack(s.callId, toCustomer.stream.getAudioTracks()[0]!);
    this.host.setPlaybackMuted(s.callId, true);
    const earElement = this.doc.createElement('audio');
    earElement.autoplay = true;
    earElement.hidden = true;
    earElement.dataset.monitorEar = s.id;
    earElement.srcObject = ear.stream;
    this.doc.body.appendChild(earElement);
    const el = earElement as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (el.setSinkId) void el.setSinkId(this.options.speaker()).catch(() => undefined);
    void earElement.play().catch(() => undefined);

    const mix: Mix = {
      callId: s.callId,
      mode: s.mode,
      micTrack,
      toCustomerGain,
      toAgentGain,
      ear,
      earElement,
      nodes: [mic, cust, sup, toSupervisor, toCustomer, ear, toCustomerGain, toAgentGain],
    };
    this.setMode(mix, s.mode);
    return mix;
  }

  private setMode(mix: Mix, mode: MonitorMode): void {
    mix.mode = mode;
    const g = supervisorGains(mode);
    mix.toAgentGain.gain.value = g.toAgent;
    mix.toCustomerGain.gain.value = g.toCustomer;
  }

  private end(id: string): void {
    this.pending.delete(id);
    this.host.setPlaybackMuted(id, false);
    const mix = this.mixes.get(id);
    if (!mix) return;
    this.mixes.delete(id);
    // The customer hears the agent's own microphone again (after resume, when the call is on hold).
    void this.host.setSendTrack(mix.callId, mix.micTrack).catch(() => undefined);
    if (![...this.mixes.values()].some((m) => m.callId === mix.callId)) this.host.setPlaybackMuted(mix.callId, false);
    for (const n of mix.nodes) n.disconnect();
    mix.earElement.srcObject = null;
    mix.earElement.remove();
  }
}
