import { Core, Web } from 'sip.js';
import { applyCodecOrder } from '../../shared/phone/codecOrder';
import type { MediaDescription, MediaHost, MediaOptions } from '../../shared/phone/mediaHost';
import type { QualitySample } from '../../shared/phone/quality';
import { startDtmfReceiver, type DtmfReceiver } from './dtmfReceiver';
import { StatsSampler } from './statsSampler';

/** Audio devices chosen by the agent ('' = system default). */
export interface DeviceChoice {
  microphone: string;
  speaker: string;
}

/** Options of the browser media host. */
export interface BrowserMediaHostOptions {
  iceServers(): RTCIceServer[];
  devices(): DeviceChoice;
  /** Audio codecs in the order to offer/answer them (`media.codecOrder`); empty keeps the browser's. */
  codecOrder?(): string[];
  /** Called with each call's quality sample (every `statsIntervalMs`, default 1 s: the core's media watchdog uses them). */
  onQuality?(callId: string, sample: QualitySample): void;
  /** Called with each DTMF digit heard in a call's remote audio (RFC 4733 played out, or in-band). */
  onDtmf?(callId: string, digit: string): void;
  statsIntervalMs?: number;
  document?: Document;
}

/** SDP modifiers the core may name; unknown names are ignored (see shared/phone/mediaHost.ts). */
const MODIFIERS: Record<string, (d: RTCSessionDescriptionInit) => Promise<RTCSessionDescriptionInit>> = {
  holdModifier: Web.holdModifier,
  stripTcpCandidates: Web.stripTcpCandidates,
  stripVideo: Web.stripVideo,
  stripTelephoneEvent: Web.stripTelephoneEvent,
};

interface CallMedia {
  sdh: Web.SessionDescriptionHandler;
  /** The microphone track parked while the agent holds the call. */
  heldTrack?: MediaStreamTrack;
  audio: HTMLAudioElement;
  sampler: StatsSampler;
  timer?: ReturnType<typeof setInterval>;
  muted: boolean;
  dtmf?: DtmfReceiver | null;
  /** The remote stream the DTMF receiver listens to. */
  dtmfStream?: MediaStream;
  /** Our re-offer, sent but not applied yet: applied with the answer, simply dropped when refused. */
  pendingOffer?: { offer: RTCSessionDescriptionInit; hold: boolean; direction: RTCRtpTransceiverDirection[] };
}

/**
 * Copies the connection address, port and candidates of the applied local description into a new
 * (unapplied) offer, m-section by m-section: the transport is the same, so are its candidates.
 */
export function withCandidates(offer: string, applied: string): string {
  const eol = offer.includes('\r\n') ? '\r\n' : '\n';
  const split = (sdp: string) => sdp.split(/\r?\n(?=m=)/);
  const old = split(applied);
  return split(offer)
    .map((section, i) => {
      if (i === 0 || !section.startsWith('m=')) return section;
      const prev = old[i];
      if (!prev) return section;
      const port = /^m=\S+ (\d+)/.exec(prev)?.[1];
      const conn = /^c=.*$/m.exec(prev)?.[0];
      const candidates = prev.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:') || l === 'a=end-of-candidates');
      let lines = section.split(/\r?\n/).filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates');
      if (port) lines[0] = lines[0]!.replace(/^(m=\S+ )\d+/, `$1${port}`);
      if (conn) lines = lines.map((l) => (l.startsWith('c=') ? conn.trim() : l));
      const trailing = lines.length > 0 && lines[lines.length - 1] === '' ? lines.pop() : undefined;
      lines.push(...candidates);
      if (trailing !== undefined) lines.push(trailing);
      return lines.join(eol);
    })
    .join(eol);
}

const loggerFactory = new Core.LoggerFactory();
loggerFactory.level = Core.Levels.warn;

/**
 * The renderer's media engine: one sip.js Web.SessionDescriptionHandler (RTCPeerConnection +
 * getUserMedia) per call, behind the core's RemoteSessionDescriptionHandler. Remote audio plays on
 * the chosen speaker; statistics are sampled for the call-quality score.
 */
export class BrowserMediaHost implements MediaHost {
  private readonly calls = new Map<string, CallMedia>();
  /** Calls whose remote audio must not play from their own element (mixed elsewhere: monitorMixer). */
  private readonly silenced = new Set<string>();
  private readonly doc: Document;

  constructor(private readonly options: BrowserMediaHostOptions) {
    this.doc = options.document ?? document;
  }

  /** Ids of the calls that currently have media. */
  callIds(): string[] {
    return [...this.calls.keys()];
  }

  /** The peer connection of a call (tests and diagnostics). */
  peerConnection(callId: string): RTCPeerConnection | undefined {
    return this.calls.get(callId)?.sdh.peerConnection;
  }

  /** The remote stream of a call (the monitoring mixer takes it into WebAudio). */
  remoteStream(callId: string): MediaStream | undefined {
    return this.calls.get(callId)?.sdh.remoteMediaStream;
  }

  /**
   * Stops (or restarts) a call's remote audio from playing on its own element, also before its
   * media exists. The element keeps its stream: Chromium feeds remote WebRTC audio to WebAudio
   * only while a media element plays it, muted or not.
   */
  setPlaybackMuted(callId: string, muted: boolean): void {
    if (muted) this.silenced.add(callId);
    else this.silenced.delete(callId);
    const media = this.calls.get(callId);
    if (media) media.audio.muted = muted;
  }

  /** What a call sends: the sender's track, or on hold the track that resume will send again. */
  sendTrack(callId: string): MediaStreamTrack | null {
    const media = this.calls.get(callId);
    if (!media) return null;
    return media.heldTrack ?? media.sdh.peerConnection?.getSenders().find((s) => s.track?.kind === 'audio')?.track ?? null;
  }

  /**
   * Replaces what a call sends (the monitoring mix, or the microphone back) without renegotiation.
   * On hold it replaces the parked track, so resume sends the new one; mute applies to it as well.
   */
  async setSendTrack(callId: string, track: MediaStreamTrack): Promise<void> {
    const media = this.calls.get(callId);
    if (!media) return;
    if (media.heldTrack) media.heldTrack = track;
    else await media.sdh.peerConnection?.getSenders().find((s) => s.track?.kind === 'audio')?.replaceTrack(track);
    this.applyMute(media);
  }

  async getDescription(callId: string, options: MediaOptions, modifiers: string[]): Promise<MediaDescription> {
    const media = this.media(callId);
    const reoffer = await this.reoffer(media, options, modifiers);
    if (reoffer) return reoffer;
    const d = await media.sdh.getDescription(this.withDevices(options), this.modifiers(modifiers));
    await this.applyHold(media, options.hold === true);
    this.applyMute(media);
    return { body: d.body, contentType: d.contentType };
  }

  async setDescription(callId: string, sdp: string, options: MediaOptions, modifiers: string[]): Promise<void> {
    const media = this.media(callId);
    const pending = media.pendingOffer;
    media.pendingOffer = undefined;
    // The answer to our re-offer: apply the offer now, then the answer (one negotiation, back to back).
    if (pending && media.sdh.peerConnection?.signalingState === 'stable') await media.sdh.peerConnection.setLocalDescription(pending.offer);
    await media.sdh.setDescription(sdp, this.withDevices(options), this.modifiers(modifiers));
    await this.applyHold(media, pending ? pending.hold : options.hold === true);
    this.play(media, callId);
  }

  async rollbackDescription(callId: string): Promise<void> {
    const media = this.calls.get(callId);
    const pc = media?.sdh.peerConnection;
    if (!media || !pc) return;
    const pending = media.pendingOffer;
    if (pending) {
      // A refused re-offer was never applied: the working session is untouched; only the
      // transceiver directions we set for it go back.
      media.pendingOffer = undefined;
      pc.getTransceivers().forEach((t, i) => {
        const d = pending.direction[i];
        if (d && t.currentDirection !== 'stopped' && t.direction !== d) t.direction = d;
      });
      return;
    }
    // sip.js 0.21's Web SDH has no rollbackDescription: roll a pending applied offer (ICE restart) back.
    if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
  }

  /**
   * A re-offer on an established call (hold, resume, refresh) is created but NOT applied: Chromium
   * resets the ICE transport of an original answerer when such an offer is rolled back (measured:
   * ICE state `new`, no RTP either way after a refused re-INVITE), so a refused re-INVITE must find
   * nothing to roll back. The offer carries the current candidates (same ICE credentials: no
   * restart). ICE restarts and first offers take the normal path (they need gathering).
   */
  private async reoffer(media: CallMedia, options: MediaOptions, modifiers: string[]): Promise<MediaDescription | null> {
    const pc = media.sdh.peerConnection;
    const iceRestart = (options.offerOptions as { iceRestart?: boolean } | undefined)?.iceRestart === true;
    if (!pc || iceRestart || pc.signalingState !== 'stable' || !pc.currentRemoteDescription || !pc.currentLocalDescription) return null;
    const hold = options.hold === true;
    const direction = pc.getTransceivers().map((t) => t.direction);
    for (const t of pc.getTransceivers()) {
      if (t.currentDirection === 'stopped' || t.receiver.track.kind !== 'audio') continue;
      t.direction = hold ? (t.direction === 'recvonly' || t.direction === 'inactive' ? 'inactive' : 'sendonly') : 'sendrecv';
    }
    let offer = await pc.createOffer();
    for (const m of this.modifiers(modifiers)) offer = await m(offer);
    media.pendingOffer = { offer, hold, direction };
    return { body: withCandidates(offer.sdp ?? '', pc.currentLocalDescription.sdp), contentType: 'application/sdp' };
  }

  sendDtmf(callId: string, tones: string, options: MediaOptions): void {
    const duration = typeof options.duration === 'number' ? options.duration : 100;
    const interToneGap = typeof options.interToneGap === 'number' ? options.interToneGap : 70;
    const dtmf = this.calls.get(callId)?.sdh.peerConnection?.getSenders().find((sender) => sender.dtmf)?.dtmf;
    if (!dtmf) return;
    // insertDTMF replaces the tone buffer: queue behind the tones still waiting, or quick key presses are lost.
    dtmf.insertDTMF(dtmf.toneBuffer + tones, duration, interToneGap);
  }

  setMuted(callId: string, muted: boolean): void {
    const media = this.calls.get(callId);
    if (!media) return;
    media.muted = muted;
    this.applyMute(media);
  }

  close(callId: string): void {
    const media = this.calls.get(callId);
    if (!media) return;
    this.calls.delete(callId);
    if (media.timer) clearInterval(media.timer);
    media.dtmf?.stop();
    media.sdh.close();
    media.audio.srcObject = null;
    media.audio.remove();
  }

  /** Releases every call's media (page unload). */
  closeAll(): void {
    for (const id of [...this.calls.keys()]) this.close(id);
  }

  /** Routes every call's remote audio to a new speaker (device hot-plug or a new choice). */
  async applySpeaker(): Promise<void> {
    await Promise.all([...this.calls.values()].map((m) => this.setSink(m.audio)));
  }

  private media(callId: string): CallMedia {
    let media = this.calls.get(callId);
    if (media) return media;
    const sdh = new Web.SessionDescriptionHandler(loggerFactory.getLogger('sip.sdh'), Web.defaultMediaStreamFactory(), {
      iceGatheringTimeout: 500,
      peerConnectionConfiguration: { iceServers: this.options.iceServers() },
    });
    const audio = this.doc.createElement('audio');
    audio.autoplay = true;
    audio.dataset.callId = callId;
    audio.hidden = true;
    audio.muted = this.silenced.has(callId);
    this.doc.body.appendChild(audio);
    media = { sdh, audio, sampler: new StatsSampler(), muted: false };
    this.calls.set(callId, media);
    const m = media;
    m.timer = setInterval(() => void this.sample(callId, m), this.options.statsIntervalMs ?? 1000);
    return media;
  }

  private async sample(callId: string, media: CallMedia): Promise<void> {
    const pc = media.sdh.peerConnection;
    if (!pc || pc.connectionState === 'closed') return;
    try {
      const s = await media.sampler.sample(pc);
      if (s) this.options.onQuality?.(callId, s);
    } catch {
      // Stats are best effort: a closing connection may refuse getStats.
    }
  }

  private play(media: CallMedia, callId: string): void {
    if (media.audio.srcObject !== media.sdh.remoteMediaStream) media.audio.srcObject = media.sdh.remoteMediaStream;
    void this.setSink(media.audio);
    void media.audio.play().catch(() => undefined);
    const onDtmf = this.options.onDtmf;
    if (onDtmf && media.dtmfStream !== media.sdh.remoteMediaStream) {
      media.dtmf?.stop();
      const stream = media.sdh.remoteMediaStream;
      media.dtmf = startDtmfReceiver(stream, (digit) => onDtmf(callId, digit));
      media.dtmfStream = media.dtmf ? stream : undefined;
    }
  }

  private async setSink(audio: HTMLAudioElement): Promise<void> {
    const speaker = this.options.devices().speaker;
    const el = audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (el.setSinkId) await el.setSinkId(speaker).catch(() => undefined);
  }

  /**
   * On hold nothing is sent: the microphone track is parked (a sendonly SDP alone would still let
   * the agent's audio reach the customer), and put back on resume.
   */
  private async applyHold(media: CallMedia, hold: boolean): Promise<void> {
    const sender = media.sdh.peerConnection?.getSenders().find((s) => s.track?.kind === 'audio' || (!s.track && media.heldTrack));
    if (!sender) return;
    if (hold && sender.track) {
      media.heldTrack = sender.track;
      await sender.replaceTrack(null);
    } else if (!hold && media.heldTrack) {
      await sender.replaceTrack(media.heldTrack);
      media.heldTrack = undefined;
    }
  }

  private applyMute(media: CallMedia): void {
    if (media.sdh.peerConnection) media.sdh.enableSenderTracks(!media.muted);
  }

  private withDevices(options: MediaOptions): MediaOptions {
    const microphone = this.options.devices().microphone;
    const constraints = { audio: microphone ? { deviceId: { exact: microphone } } : true, video: false };
    return { ...options, constraints };
  }

  private modifiers(names: string[]) {
    const named = names.map((n) => MODIFIERS[n]).filter((m): m is NonNullable<typeof m> => !!m);
    const order = this.options.codecOrder?.() ?? [];
    if (order.length === 0) return named;
    // Our codec preference goes into every offer and answer we create (applied before setLocalDescription).
    const codecOrder = async (d: RTCSessionDescriptionInit) => ({ ...d, sdp: applyCodecOrder(d.sdp ?? '', order) });
    return [...named, codecOrder];
  }
}
