import { DtmfDetector } from './dtmfDetector';

/** A running DTMF receiver on one call's remote audio. */
export interface DtmfReceiver {
  stop(): void;
}

/**
 * Listens to a call's remote audio and reports the DTMF digits in it (RFC 4733 events played out
 * by the browser's jitter buffer, and in-band tones). Returns null where Web Audio is missing.
 */
export function startDtmfReceiver(stream: MediaStream, onDigit: (digit: string) => void): DtmfReceiver | null {
  const Ctx = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
  if (!Ctx || stream.getAudioTracks().length === 0) return null;
  const ctx = new Ctx();
  const source = ctx.createMediaStreamSource(stream);
  // A ScriptProcessor runs on the main thread but needs no separate module file (an AudioWorklet
  // would need one served under the page's CSP); 2048 frames is ~43 ms at 48 kHz.
  const processor = ctx.createScriptProcessor(2048, 1, 1);
  const mute = ctx.createGain();
  mute.gain.value = 0;
  const detector = new DtmfDetector(ctx.sampleRate);
  processor.onaudioprocess = (e) => {
    for (const d of detector.push(e.inputBuffer.getChannelData(0))) onDigit(d);
  };
  source.connect(processor);
  processor.connect(mute);
  mute.connect(ctx.destination);
  void ctx.resume().catch(() => undefined);
  return {
    stop() {
      processor.onaudioprocess = null;
      source.disconnect();
      processor.disconnect();
      mute.disconnect();
      void ctx.close().catch(() => undefined);
    },
  };
}
