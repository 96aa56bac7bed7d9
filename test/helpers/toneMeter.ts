import fs from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * Writes a WAV (48 kHz, mono, 16 bit) of a pure tone for Chromium's fake microphone
 * (`--use-file-for-fake-audio-capture`, which loops the file): a whole number of cycles, so the loop
 * has no click.
 */
export function writeToneWav(file: string, hz: number, seconds = 2, rate = 48_000): void {
  const n = seconds * rate;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 0.5 * 32767), i * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  fs.writeFileSync(file, Buffer.concat([h, data]));
}

/** Which received audio of a page to measure. */
export type HeardSource =
  /** A simulated customer (sip peer page): its call's remote audio. */
  | { kind: 'peer' }
  /** A CallDesk page: the remote audio of one media session (call or monitoring leg id). */
  | { kind: 'media'; id: string }
  /** A CallDesk agent page: what the agent hears during a monitoring session (customer + supervisor as the mode says). */
  | { kind: 'ear'; sessionId: string };

/**
 * Measures, with a WebAudio analyser (FFT) in the page, how far above the spectrum's median floor
 * each frequency stands in the received audio (dB, averaged over `ms`).
 */
export async function toneLevels(page: Page, source: HeardSource, freqs: number[], ms = 1200): Promise<Record<number, number>> {
  return page.evaluate(
    async ({ source, freqs, ms }) => {
      const w = window as unknown as {
        calldeskMedia?: { remoteStream(id: string): MediaStream | undefined };
        calldeskMonitor?: { earStream(id: string): MediaStream | undefined };
      };
      let stream: MediaStream | undefined | null;
      if (source.kind === 'peer') stream = (document.getElementById('remote') as HTMLAudioElement | null)?.srcObject as MediaStream | null;
      else if (source.kind === 'media') stream = w.calldeskMedia?.remoteStream(source.id);
      else stream = w.calldeskMonitor?.earStream(source.sessionId);
      if (!stream || stream.getAudioTracks().length === 0) throw new Error(`no audio stream for ${JSON.stringify(source)}`);
      const ctx = new AudioContext();
      await ctx.resume();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 8192;
      analyser.smoothingTimeConstant = 0;
      ctx.createMediaStreamSource(stream).connect(analyser);
      const bins = new Float32Array(analyser.frequencyBinCount);
      const power = new Float64Array(analyser.frequencyBinCount);
      const hzPerBin = ctx.sampleRate / analyser.fftSize;
      let frames = 0;
      const end = Date.now() + ms;
      while (Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        analyser.getFloatFrequencyData(bins);
        for (let i = 0; i < bins.length; i++) power[i]! += Math.pow(10, bins[i]! / 10);
        frames += 1;
      }
      await ctx.close();
      const db = (i: number) => 10 * Math.log10(power[i]! / frames + 1e-20);
      const lo = Math.floor(200 / hzPerBin);
      const hi = Math.ceil(4000 / hzPerBin);
      const all: number[] = [];
      for (let i = lo; i <= hi; i++) all.push(db(i));
      all.sort((a, b) => a - b);
      const floor = all[Math.floor(all.length / 2)]!;
      const out: Record<number, number> = {};
      for (const f of freqs) {
        const c = Math.round(f / hzPerBin);
        let best = -Infinity;
        for (let i = c - 2; i <= c + 2; i++) best = Math.max(best, db(i));
        out[f] = Math.round((best - floor) * 10) / 10;
      }
      return out;
    },
    { source, freqs, ms },
  );
}
