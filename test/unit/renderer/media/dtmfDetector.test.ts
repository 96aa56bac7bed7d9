import { describe, expect, it } from 'vitest';
import { DtmfDetector } from '../../../../renderer/media/dtmfDetector';

const FREQS: Record<string, [number, number]> = {
  '1': [697, 1209], '2': [697, 1336], '3': [697, 1477], '4': [770, 1209], '5': [770, 1336], '6': [770, 1477],
  '7': [852, 1209], '8': [852, 1336], '9': [852, 1477], '*': [941, 1209], '0': [941, 1336], '#': [941, 1477],
};

/** Audio of `digits` (toneMs each, gapMs apart) over a quieter 440 Hz tone, like a phone's call audio. */
function audio(digits: string, rate: number, toneMs = 100, gapMs = 70, background = 0.05): Float32Array {
  const out: number[] = [];
  let t = 0;
  const push = (n: number, f?: [number, number]) => {
    for (let i = 0; i < n; i++, t++) {
      const x = t / rate;
      out.push(background * Math.sin(2 * Math.PI * 440 * x) + (f ? 0.25 * Math.sin(2 * Math.PI * f[0] * x) + 0.25 * Math.sin(2 * Math.PI * f[1] * x) : 0));
    }
  };
  push((rate * gapMs) / 1000);
  for (const d of digits) {
    push((rate * toneMs) / 1000, FREQS[d]);
    push((rate * gapMs) / 1000);
  }
  return Float32Array.from(out);
}

describe('DtmfDetector', () => {
  for (const rate of [8000, 16000, 48000]) {
    it(`reads every digit once at ${rate} Hz, in chunks as the audio graph delivers them`, () => {
      const d = new DtmfDetector(rate);
      const samples = audio('0123456789*#', rate);
      const got: string[] = [];
      for (let i = 0; i < samples.length; i += 2048) got.push(...d.push(samples.subarray(i, i + 2048)));
      expect(got.join('')).toBe('0123456789*#');
    });
  }

  it('hears nothing in speech-like audio or silence, and one digit for a long key press', () => {
    const d = new DtmfDetector(8000);
    expect(d.push(audio('', 8000, 100, 2000, 0.3))).toEqual([]);
    expect(d.push(new Float32Array(8000))).toEqual([]);
    expect(d.push(audio('5', 8000, 1500))).toEqual(['5']);
    expect(d.push(audio('55', 8000))).toEqual(['5', '5']);
  });

  it('one key press whose tone has a 35 ms hole (late RFC 4733 packet: speech audio plays instead) is one digit', () => {
    for (const rate of [8000, 44100, 48000]) {
      for (let offset = 0; offset < 26; offset += 5) {
        const lead = new Float32Array(Math.round((rate * offset) / 1000));
        const d = new DtmfDetector(rate);
        // 80 ms of tone, 35 ms of louder speech-like audio only, 80 ms of tone.
        const got = [...d.push(lead), ...d.push(audio('5', rate, 80, 0)), ...d.push(audio('', rate, 0, 35, 0.2)), ...d.push(audio('5', rate, 80, 0)), ...d.push(audio('', rate, 0, 200))];
        expect(got, `${rate} Hz, offset ${offset} ms`).toEqual(['5']);
      }
    }
  });

  it('hears a 40 ms key press (ITU-T Q.24 minimum) wherever it starts, once', () => {
    for (const rate of [8000, 44100, 48000]) {
      for (let offset = 0; offset < 40; offset += 3) {
        const d = new DtmfDetector(rate);
        const got = [...d.push(new Float32Array(Math.round((rate * offset) / 1000))), ...d.push(audio('0123456789*#', rate, 40, 60))];
        expect(got.join(''), `${rate} Hz, offset ${offset} ms`).toBe('0123456789*#');
      }
    }
  });

  it('a key press whose tones jump in phase every 30 ms (late RFC 4733 packets under load) is one digit, even when short', () => {
    for (const rate of [8000, 44100, 48000]) {
      for (const toneMs of [60, 150]) {
        for (let offset = 0; offset < 26; offset += 5) {
          const [f1, f2] = FREQS['2']!;
          const out: number[] = new Array(Math.round((rate * (offset + 60)) / 1000)).fill(0).map((_, i) => 0.05 * Math.sin((2 * Math.PI * 440 * i) / rate));
          const n = Math.round((rate * toneMs) / 1000);
          const jump = Math.round(rate * 0.03);
          for (let i = 0; i < n; i++) {
            const ph = Math.floor(i / jump) % 2 ? Math.PI : 0; // the generator restarts out of phase
            out.push(0.25 * Math.sin((2 * Math.PI * f1 * i) / rate + ph) + 0.25 * Math.sin((2 * Math.PI * f2 * i) / rate + ph * 0.7));
          }
          for (let i = 0; i < rate * 0.1; i++) out.push(0.05 * Math.sin((2 * Math.PI * 440 * i) / rate));
          expect(new DtmfDetector(rate).push(Float32Array.from(out)), `${rate} Hz, ${toneMs} ms, offset ${offset} ms`).toEqual(['2']);
        }
      }
    }
  });
});
