import {
  looksLikeSdp,
  sdpAudioDirection,
  type MediaDescription,
  type MediaHost,
  type MediaOptions,
} from '../../shared/phone/mediaHost';

/** What the fake knows about one call's media. */
export interface FakeMediaSession {
  localSdp?: string;
  remoteSdp?: string;
  /** Offers/answers produced so far (a re-INVITE adds one). */
  descriptions: number;
  dtmf: string;
  muted: boolean;
  closed: boolean;
  /** Direction of the last local description. */
  direction: string;
  /** Offer/answer state, as an RTCPeerConnection's signalingState. */
  signaling: 'stable' | 'have-local-offer' | 'have-remote-offer';
}

let nextPort = 40000;

/**
 * A Node-side media host for integration tests: answers getDescription/setDescription with real,
 * minimal SDP (PCMU + telephone-event on 127.0.0.1; no RTP is sent), honours `hold` (sendonly) and a
 * remote sendonly offer (recvonly), rejects SDP that is not SDP, records DTMF, mute and close.
 */
export class FakeMediaHost implements MediaHost {
  readonly sessions = new Map<string, FakeMediaSession>();
  /** Every method call, in order (`getDescription:callId`). */
  readonly calls: string[] = [];
  /** When set, setDescription fails with this message (as a browser refusing an SDP would). */
  failSetDescription: string | null = null;

  private session(callId: string): FakeMediaSession {
    let s = this.sessions.get(callId);
    if (!s) {
      s = { descriptions: 0, dtmf: '', muted: false, closed: false, direction: 'sendrecv', signaling: 'stable' };
      this.sessions.set(callId, s);
    }
    return s;
  }

  async getDescription(callId: string, options: MediaOptions): Promise<MediaDescription> {
    this.calls.push(`getDescription:${callId}`);
    const s = this.session(callId);
    s.closed = false;
    const answering = s.signaling === 'have-remote-offer';
    const remoteDir = answering && s.remoteSdp ? sdpAudioDirection(s.remoteSdp) : 'sendrecv';
    let dir = options.hold === true ? 'sendonly' : 'sendrecv';
    if (remoteDir === 'sendonly') dir = options.hold === true ? 'inactive' : 'recvonly';
    if (remoteDir === 'inactive') dir = 'inactive';
    s.signaling = answering ? 'stable' : 'have-local-offer';
    s.descriptions += 1;
    s.direction = dir;
    const port = nextPort;
    nextPort += 2;
    const id = Date.now();
    s.localSdp = [
      'v=0',
      `o=- ${id} ${s.descriptions} IN IP4 127.0.0.1`,
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${port} RTP/AVP 0 101`,
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-16',
      `a=${dir}`,
      '',
    ].join('\r\n');
    return { body: s.localSdp, contentType: 'application/sdp' };
  }

  async setDescription(callId: string, sdp: string): Promise<void> {
    this.calls.push(`setDescription:${callId}`);
    if (!looksLikeSdp(sdp)) throw new Error('not an SDP');
    if (this.failSetDescription) throw new Error(this.failSetDescription);
    const s = this.session(callId);
    s.closed = false;
    s.signaling = s.signaling === 'have-local-offer' ? 'stable' : 'have-remote-offer';
    s.remoteSdp = sdp;
  }

  async rollbackDescription(callId: string): Promise<void> {
    this.calls.push(`rollbackDescription:${callId}`);
    this.session(callId).signaling = 'stable';
  }

  sendDtmf(callId: string, tones: string): void {
    this.calls.push(`sendDtmf:${callId}`);
    this.session(callId).dtmf += tones;
  }

  setMuted(callId: string, muted: boolean): void {
    this.calls.push(`setMuted:${callId}`);
    this.session(callId).muted = muted;
  }

  close(callId: string): void {
    this.calls.push(`close:${callId}`);
    const s = this.session(callId);
    s.closed = true;
    s.signaling = 'stable';
  }
}
