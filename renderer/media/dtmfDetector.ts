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

/** The digit one block holds, or null (weak, one tone missing, or other sound dominating). */
export function blockDigit(block: Float32Array, sampleRate: number): string | null {
  let energy = 0;
  for (let i = 0; i < block.length; i++) energy += block[i]! * block[i]!;
  if (energy / block.length < 1e-5) return null; // below about -50 dBFS: silence
  const rows = ROWS.map((f) => goertzel(block, f, sampleRate));
  const cols = COLS.map((f) => goertzel(block, f, sampleRate));
  const r = rows.indexOf(Math.max(...rows));
  const c = cols.indexOf(Math.max(...cols));
  const rp = rows[r]!;
  const cp = cols[c]!;
  // Each pure tone of amplitude A gives Goertzel power (A N / 2)^2; the block energy is N A^2 / 2
  // per tone. The two tones must carry most of the block's energy ...
  const toneEnergy = ((rp + cp) * 2) / block.length;
  if (toneEnergy < 0.35 * energy) return null;
  // ... with a twist (level difference) under 8 dB, and clearly above the other rows/columns.
  if (rp > cp * 6.3 || cp > rp * 6.3) return null;
  if (rows.some((p, i) => i !== r && p * 6.3 > rp) || cols.some((p, i) => i !== c && p * 6.3 > cp)) return null;
  return KEYS[r]![c]!;
}

/**
 * Turns a stream of audio samples into digits: a digit counts once it is heard in two blocks in a
 * row, and again only after a pause (a held key is one digit).
 */
export class DtmfDetector {
  private readonly blockSize: number;
  private readonly buffer: Float32Array;
  private filled = 0;
  private candidate: string | null = null;
  private candidateBlocks = 0;
  private current: string | null = null;
  private silentBlocks = 0;

  constructor(private readonly sampleRate: number) {
    this.blockSize = Math.round(sampleRate * 0.0256);
    this.buffer = new Float32Array(this.blockSize);
  }

  /** Feeds samples (mono, -1..1); returns the digits that started in them. */
  push(samples: Float32Array): string[] {
    const out: string[] = [];
    let i = 0;
    while (i < samples.length) {
      const n = Math.min(this.blockSize - this.filled, samples.length - i);
      this.buffer.set(samples.subarray(i, i + n), this.filled);
      this.filled += n;
      i += n;
      if (this.filled < this.blockSize) break;
      this.filled = 0;
      const d = this.onBlock(blockDigit(this.buffer, this.sampleRate));
      if (d) out.push(d);
    }
    return out;
  }

  private onBlock(digit: string | null): string | null {
    if (digit === null) {
      this.candidate = null;
      this.candidateBlocks = 0;
      if (++this.silentBlocks >= 2) this.current = null;
      return null;
    }
    this.silentBlocks = 0;
    if (digit === this.candidate) this.candidateBlocks += 1;
    else {
      this.candidate = digit;
      this.candidateBlocks = 1;
    }
    if (this.candidateBlocks >= 2 && digit !== this.current) {
      this.current = digit;
      return digit;
    }
    return null;
  }
}
