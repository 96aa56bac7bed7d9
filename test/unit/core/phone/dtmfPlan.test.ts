import { describe, expect, it } from 'vitest';
import { audioFormats, dtmfPlan, DtmfPlanner } from '../../../../electron/core/phone/dtmfPlan';

const sdp = (formats: string[], pts: number[]) =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio 4000 RTP/AVP ${pts.join(' ')}`, ...formats.map((f) => `a=rtpmap:${f}`), ''].join('\r\n');
// What a browser offers: telephone-event at 48 and 8 kHz.
const browserOffer = sdp(['111 opus/48000/2', '9 G722/8000', '0 PCMU/8000', '8 PCMA/8000', '110 telephone-event/48000', '126 telephone-event/8000'], [111, 9, 0, 8, 110, 126]);

describe('dtmfPlan', () => {
  it('reads audio formats with static payload types', () => {
    expect(audioFormats(sdp(['101 telephone-event/8000'], [0, 101]))).toEqual([
      { pt: 0, name: 'pcmu', rate: 8000 },
      { pt: 101, name: 'telephone-event', rate: 8000 },
    ]);
  });

  it('RFC 4733 works when telephone-event runs at the codec clock rate', () => {
    const answer = sdp(['0 PCMU/8000', '126 telephone-event/8000'], [0, 126]);
    expect(dtmfPlan(browserOffer, answer)).toEqual({ codec: 'pcmu/8000', eventRates: [8000], rfc4733: true });
    const opus = sdp(['111 opus/48000/2', '110 telephone-event/48000'], [111, 110]);
    expect(dtmfPlan(browserOffer, opus).rfc4733).toBe(true);
  });

  it('an opus call with telephone-event only at 8 kHz cannot carry RFC 4733: SIP INFO instead', () => {
    const phoneAnswer = sdp(['111 opus/48000/2', '126 telephone-event/8000'], [111, 126]);
    expect(dtmfPlan(browserOffer, phoneAnswer)).toEqual({ codec: 'opus/48000', eventRates: [8000], rfc4733: false });
    const planner = new DtmfPlanner();
    planner.local('c1', browserOffer);
    expect(planner.method('c1', 'rfc4733')).toBe('rfc4733'); // no answer yet: keep the setting
    planner.remote('c1', phoneAnswer);
    expect(planner.method('c1', 'rfc4733')).toBe('info');
    expect(planner.method('c1', 'info')).toBe('info');
  });

  it('follows a remote offer answered locally, and re-negotiations', () => {
    const planner = new DtmfPlanner();
    const phoneOffer = sdp(['0 PCMU/8000', '101 telephone-event/8000'], [0, 101]);
    planner.remote('c2', phoneOffer);
    planner.local('c2', sdp(['0 PCMU/8000', '101 telephone-event/8000'], [0, 101]));
    expect(planner.method('c2', 'rfc4733')).toBe('rfc4733');
    planner.remote('c2', sdp(['111 opus/48000/2', '101 telephone-event/8000'], [111, 101]));
    planner.local('c2', sdp(['111 opus/48000/2', '101 telephone-event/8000'], [111, 101]));
    expect(planner.method('c2', 'rfc4733')).toBe('info');
  });
});
