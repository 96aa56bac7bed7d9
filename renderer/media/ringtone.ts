/** Tone patterns: [frequency Hz, on ms, off ms] steps, repeated. */
export const TONES = {
  /** Ring (China/most of Asia: 450 Hz, 1 s on, 4 s off; shortened off time for agents). */
  ring: [[450, 1000, 2000]] as [number, number, number][],
  /** Call waiting: two short beeps every 3 s, on the speaker so it is heard in the headset. */
  waiting: [[440, 150, 150], [440, 150, 2700]] as [number, number, number][],
};

/** A tone player on one output device, generated with Web Audio (no sound files to ship). */
export class TonePlayer {
  private ctx: AudioContext | null = null;
  private audio: HTMLAudioElement | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private playing: keyof typeof TONES | null = null;

  /** Starts a pattern on `deviceId` ('' = default output). Restarts when pattern or device change. */
  async play(pattern: keyof typeof TONES, deviceId: string): Promise<void> {
    if (this.playing === pattern && this.audio?.dataset.device === deviceId) return;
    this.stop();
    this.playing = pattern;
    const ctx = new AudioContext();
    this.ctx = ctx;
    const gain = ctx.createGain();
    gain.gain.value = 0;
    const osc = ctx.createOscillator();
    const dest = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(dest);
    osc.start();
    const audio = document.createElement('audio');
    audio.dataset.device = deviceId;
    audio.dataset.tone = pattern;
    audio.hidden = true;
    audio.srcObject = dest.stream;
    document.body.appendChild(audio);
    this.audio = audio;
    const el = audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (el.setSinkId) await el.setSinkId(deviceId).catch(() => undefined);
    void audio.play().catch(() => undefined);
    const steps = TONES[pattern];
    let i = 0;
    const step = () => {
      if (this.ctx !== ctx) return;
      const [freq, on, off] = steps[i++ % steps.length]!;
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.2, ctx.currentTime);
      gain.gain.setValueAtTime(0, ctx.currentTime + on / 1000);
      this.timer = setTimeout(step, on + off);
    };
    step();
  }

  /** What is playing, for tests and the UI. */
  current(): keyof typeof TONES | null {
    return this.playing;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
    this.audio?.remove();
    this.audio = null;
    this.playing = null;
  }
}
