import { describe, expect, it } from 'vitest';
import { looksLikeSdp, sdpAudioDirection, serveMediaRequest } from '../../../../shared/phone/mediaHost';
import { FakeMediaHost } from '../../../fakes/fakeMediaHost';

describe('media host protocol', () => {
  it('serves request/response methods with the same id and fire-and-forget ones with null', async () => {
    const host = new FakeMediaHost();
    const offer = await serveMediaRequest(host, { id: 'm1', callId: 'c1', method: 'getDescription', args: [{ hold: true }, ['x']] });
    expect(offer?.id).toBe('m1');
    expect((offer?.result as { body: string }).body).toContain('a=sendonly');
    expect(await serveMediaRequest(host, { id: 'm2', callId: 'c1', method: 'sendDtmf', args: ['12'] })).toBeNull();
    expect(host.sessions.get('c1')?.dtmf).toBe('12');
  });

  it('turns a failing method into an error response, never a throw', async () => {
    const host = new FakeMediaHost();
    const res = await serveMediaRequest(host, { id: 'm3', callId: 'c1', method: 'setDescription', args: ['junk'] });
    expect(res).toEqual({ id: 'm3', error: { message: 'not an SDP' } });
    expect(await serveMediaRequest(host, { id: 'm4', callId: 'c1', method: 'setDescription', args: [42] })).toMatchObject({ id: 'm4', error: {} });
  });

  it('recognises SDP and its audio direction', () => {
    const sdp = 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n';
    expect(looksLikeSdp(sdp)).toBe(true);
    expect(looksLikeSdp('hello')).toBe(false);
    expect(sdpAudioDirection(sdp)).toBe('sendonly');
    expect(sdpAudioDirection('v=0\r\na=inactive\r\nm=audio 1 RTP/AVP 0\r\n')).toBe('inactive');
    expect(sdpAudioDirection('v=0\r\nm=audio 1 RTP/AVP 0\r\n')).toBe('sendrecv');
  });
});
