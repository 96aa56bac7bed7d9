/**
 * Which way DTMF can go on a call, from its negotiated SDP.
 *
 * RFC 4733 telephone-event must run at the clock rate of the audio codec in use: a browser on an
 * opus (48 kHz) call with a desk phone that only accepts telephone-event/8000 sends events the
 * phone never sees. We offer telephone-event at every clock rate we offer (the browser does), but
 * the other side chooses; when the answer has no telephone-event at the send codec's rate, SIP INFO
 * (application/dtmf-relay) is the fallback.
 */

/** One audio format of an SDP: payload type, encoding name (lower case) and clock rate. */
export interface SdpFormat {
  pt: number;
  name: string;
  rate: number;
}

/** The audio formats of the first audio m-line, in the SDP's order of preference. */
export function audioFormats(sdp: string): SdpFormat[] {
  const lines = sdp.split(/\r?\n/);
  const m = lines.findIndex((l) => l.startsWith('m=audio '));
  if (m < 0) return [];
  const end = lines.findIndex((l, i) => i > m && l.startsWith('m='));
  const section = lines.slice(m, end < 0 ? undefined : end);
  const pts = section[0]!.split(' ').slice(3).map(Number).filter((n) => Number.isInteger(n));
  const rtpmap = new Map<number, { name: string; rate: number }>();
  for (const l of section) {
    const r = /^a=rtpmap:(\d+) ([^/\s]+)\/(\d+)/.exec(l);
    if (r) rtpmap.set(Number(r[1]), { name: r[2]!.toLowerCase(), rate: Number(r[3]) });
  }
  // Static payload types without rtpmap (RFC 3551): 0 PCMU, 8 PCMA, 9 G722 (RTP clock 8000).
  const STATIC: Record<number, { name: string; rate: number }> = { 0: { name: 'pcmu', rate: 8000 }, 8: { name: 'pcma', rate: 8000 }, 9: { name: 'g722', rate: 8000 } };
  return pts.flatMap((pt) => {
    const f = rtpmap.get(pt) ?? STATIC[pt];
    return f ? [{ pt, ...f }] : [];
  });
}

/** Formats that are not a voice codec (events, comfort noise, redundancy, FEC). */
const NOT_VOICE = new Set(['telephone-event', 'cn', 'red', 'ulpfec', 'rtx']);

/** What RFC 4733 looks like on a call: the send codec and the telephone-event rates agreed. */
export interface DtmfPlan {
  /** The voice codec in use (first voice format of the answer), e.g. `opus/48000`; '' when unknown. */
  codec: string;
  /** telephone-event clock rates present in both offer and answer. */
  eventRates: number[];
  /** Whether RFC 4733 events can be sent on this call (telephone-event at the codec's clock rate). */
  rfc4733: boolean;
}

/** The DTMF plan of a call from its offer and answer (either order). */
export function dtmfPlan(offer: string, answer: string): DtmfPlan {
  const answerFormats = audioFormats(answer);
  const offerRates = new Set(audioFormats(offer).filter((f) => f.name === 'telephone-event').map((f) => f.rate));
  const voice = answerFormats.find((f) => !NOT_VOICE.has(f.name));
  const eventRates = answerFormats.filter((f) => f.name === 'telephone-event' && offerRates.has(f.rate)).map((f) => f.rate);
  return {
    codec: voice ? `${voice.name}/${voice.rate}` : '',
    eventRates,
    rfc4733: voice !== undefined && eventRates.includes(voice.rate),
  };
}

/**
 * Follows the offer/answer of each call (local and remote descriptions as they are applied) and
 * tells which DTMF method works. Unknown calls (no SDP seen yet) keep the configured method.
 */
export class DtmfPlanner {
  private readonly calls = new Map<string, { offer?: string; answer?: string; pendingLocal?: string; pendingRemote?: string }>();

  /** A local description was produced (an offer, or our answer to a remote offer). */
  local(callId: string, sdp: string): void {
    const c = this.entry(callId);
    if (c.pendingRemote) {
      c.offer = c.pendingRemote;
      c.answer = sdp;
      c.pendingRemote = undefined;
    } else c.pendingLocal = sdp;
  }

  /** A remote description was applied (an offer, or the answer to our offer). */
  remote(callId: string, sdp: string): void {
    const c = this.entry(callId);
    if (c.pendingLocal) {
      c.offer = c.pendingLocal;
      c.answer = sdp;
      c.pendingLocal = undefined;
    } else c.pendingRemote = sdp;
  }

  /** The plan of the last completed offer/answer, or null before one completed. */
  plan(callId: string): DtmfPlan | null {
    const c = this.calls.get(callId);
    return c?.offer && c.answer ? dtmfPlan(c.offer, c.answer) : null;
  }

  /** The method to use: the preferred one, unless RFC 4733 cannot work on this call (then SIP INFO). */
  method(callId: string, preferred: 'rfc4733' | 'info'): 'rfc4733' | 'info' {
    if (preferred === 'info') return 'info';
    const p = this.plan(callId);
    return p && !p.rfc4733 ? 'info' : 'rfc4733';
  }

  forget(callId: string): void {
    this.calls.delete(callId);
  }

  private entry(callId: string) {
    let c = this.calls.get(callId);
    if (!c) this.calls.set(callId, (c = {}));
    return c;
  }
}
