import { describe, expect, it } from 'vitest';
import { applyCodecOrder } from '../../../../shared/phone/codecOrder';

const chromeOffer = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'a=rtpmap:111 opus/48000/2',
  'a=rtpmap:63 red/48000/2',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  '',
].join('\r\n');

describe('applyCodecOrder', () => {
  it('puts the configured codecs first in that order, the rest after in their order', () => {
    const out = applyCodecOrder(chromeOffer, ['pcma', 'pcmu', 'g722', 'opus']);
    expect(out.split('\r\n')[4]).toBe('m=audio 9 UDP/TLS/RTP/SAVPF 8 0 9 111 63 13 110 126');
    expect(out.split('\r\n').slice(5)).toEqual(chromeOffer.split('\r\n').slice(5));
  });

  it('static payload types without rtpmap count by their RFC 3551 names; the default order keeps opus first', () => {
    const plain = 'v=0\r\nm=audio 4000 RTP/AVP 0 8 9 101\r\na=rtpmap:101 telephone-event/8000\r\n';
    expect(applyCodecOrder(plain, ['g722', 'pcma'])).toContain('m=audio 4000 RTP/AVP 9 8 0 101');
    expect(applyCodecOrder(chromeOffer, ['opus', 'g722', 'pcmu', 'pcma'])).toContain('SAVPF 111 9 0 8 63 13 110 126');
  });
});
