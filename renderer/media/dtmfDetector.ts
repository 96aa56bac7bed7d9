/**
 * DTMF digits in audio (Goertzel on ~26 ms blocks). The browser gives no API for RFC 4733 events
 * it receives, but its jitter buffer plays them out as tones in the remote audio; in-band DTMF
 * (old trunks, IVRs) arrives as tones anyway. So both are read from the remote audio here.
 */

const ROWS = [697, 770, 852, 941];
const COLS = [1209, 1336, 1477, 1633];
const KEYS = ['123A', '456B', '789C', '*0#D'];

/** Goertzel power of one frequency over a block. */
function goertzel(block: Float32Array, freq: number, sampleRate: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < block.length; i++) {
    const s = block[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/**
 * What one block holds: `digit` when it clearly is one (null: weak, one tone missing, or other
 * sound dominating); `dominant` names the strongest row/column pair whenever those two tones still
 * carry a fair share of the sound. A block across a phase jump of the tones (the browser's jitter
 * buffer restarts its tone generator when an RFC 4733 packet comes late, which happens under load)
 * loses much of its Goertzel power: no `digit`, but the same `dominant`.
 */
export function analyseBlock(block: Float32Array, sampleRate: number): { digit: string | null; dominant: string | null } {
  let energy = 0;
  for (let i = 0; i < block.length; i++) energy += block[i]! * block[i]!;
  if (energy / block.length < 1e-5) return { digit: null, dominant: null }; // below about -50 dBFS: silence
  const rows = ROWS.map((f) => goertzel(block, f, sampleRate));
  const cols = COLS.map((f) => goertzel(block, f, sampleRate));
  const r = rows.indexOf(Math.max(...rows));
  const c = cols.indexOf(Math.max(...cols));
  const rp = rows[r]!;
  const cp = cols[c]!;
  // Each pure tone of amplitude A gives Goertzel power (A N / 2)^2; the block energy is N A^2 / 2
  // per tone. The two tones must carry most of the block's energy ...
  const toneEnergy = ((rp + cp) * 2) / block.length;
  // ... with a twist (level difference) under 8 dB, and clearly above the other rows/columns.
  const balanced = rp <= cp * 6.3 && cp <= rp * 6.3;
  const key = KEYS[r]![c]!;
  const dominant = balanced && toneEnergy >= 0.1 * energy ? key : null;
  if (toneEnergy < 0.35 * energy || !balanced) return { digit: null, dominant };
  if (rows.some((p, i) => i !== r && p * 6.3 > rp) || cols.some((p, i) => i !== c && p * 6.3 > cp)) return { digit: null, dominant };
  return { digit: key, dominant };
}

/** The digit one block holds, or null (weak, one tone missing, or other sound dominating). */
export function blockDigit(block: Float32Array, sampleRate: number): string | null {
  return analyseBlock(block, sampleRate).digit;
}

/** Windows overlap: a new 25.6 ms window starts every quarter window (6.4 ms). */
const HOPS_PER_BLOCK = 4;
/** A digit counts once heard in this many windows in a row (32 ms of tone at least). */
const CONFIRM_WINDOWS = 2;
/**
 * This many windows without the digit (38.4 ms; windows across a phase jump of its tones do not
 * count) end it: the next identical digit is a new key press.
 * Shorter holes inside one tone (the jitter buffer falling back to speech audio for 30-40 ms when
 * an RFC 4733 event packet comes late, measured on G.722 and PCMU calls) do not split a key press.
 */
const RELEASE_WINDOWS = 6;

/**
 * Turns a stream of audio samples into digits. Windows of 25.6 ms overlap (a new one every 6.4 ms),
 * so any tone of 40 ms or more (ITU-T Q.24) holds two whole windows wherever it starts; with
 * back-to-back windows a tone needed up to 77 ms to be heard, and shorter key presses (some
 * phones' RFC 4733 events as the browser plays them out) were lost depending on where they fell.
 * A digit counts once heard in two windows in a row, and again only after a pause (a held key is
 * one digit).
 */
export class DtmfDetector {
  private readonly blockSize: number;
  private readonly hop: number;
  /** The last blockSize samples (ring buffer) and how many samples have arrived since the last window. */
  private readonly ring: Float32Array;
  private readonly window: Float32Array;
  private written = 0;
  private sinceWindow = 0;
  private candidate: string | null = null;
  private candidateWindows = 0;
  private current: string | null = null;
  private silentWindows = 0;

  constructor(private readonly sampleRate: number) {
    this.blockSize = Math.round(sampleRate * 0.0256);
    this.hop = Math.max(1, Math.round(this.blockSize / HOPS_PER_BLOCK));
    this.ring = new Float32Array(this.blockSize);
    this.window = new Float32Array(this.blockSize);
  }

  /** Feeds samples (mono, -1..1); returns the digits that started in them. */
  push(samples: Float32Array): string[] {
    const out: string[] = [];
    for (let i = 0; i < samples.length; i++) {
      this.ring[this.written % this.blockSize] = samples[i]!;
      this.written++;
      if (++this.sinceWindow < this.hop || this.written < this.blockSize) continue;
      this.sinceWindow = 0;
      const start = this.written % this.blockSize;
      this.window.set(this.ring.subarray(start), 0);
      this.window.set(this.ring.subarray(0, start), this.blockSize - start);
      const d = this.onWindow(analyseBlock(this.window, this.sampleRate));
      if (d) out.push(d);
    }
    return out;
  }

  private onWindow({ digit, dominant }: { digit: string | null; dominant: string | null }): string | null {
    // A window across a phase jump of the digit being heard neither ends it nor breaks its confirmation.
    if (digit === null && dominant !== null && (dominant === this.current || dominant === this.candidate)) return null;
    if (digit === null) {
      this.candidate = null;
      this.candidateWindows = 0;
      if (++this.silentWindows >= RELEASE_WINDOWS) this.current = null;
      return null;
    }
    this.silentWindows = 0;
    if (digit === this.candidate) this.candidateWindows += 1;
    else {
      this.candidate = digit;
      this.candidateWindows = 1;
    }
    if (this.candidateWindows >= CONFIRM_WINDOWS && digit !== this.current) {
      this.current = digit;
      return digit;
    }
    return null;
  }
}
