import { describe, expect, it } from 'vitest';
import { withCandidates } from '../../../../renderer/media/browserMediaHost';

const APPLIED = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 50000 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 127.0.0.1', 'a=candidate:1 1 udp 2113937151 127.0.0.1 50000 typ host', 'a=end-of-candidates', 'a=sendrecv', ''].join('\r\n');
const OFFER = ['v=0', 'o=- 1 3 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=sendonly', ''].join('\r\n');

describe('withCandidates (unapplied re-offer)', () => {
  it('carries the applied port, connection address and candidates into the new offer, keeping its direction', () => {
    const out = withCandidates(OFFER, APPLIED);
    expect(out).toContain('m=audio 50000 UDP/TLS/RTP/SAVPF 111');
    expect(out).toContain('c=IN IP4 127.0.0.1');
    expect(out).toContain('a=candidate:1 1 udp 2113937151 127.0.0.1 50000 typ host\r\na=end-of-candidates');
    expect(out).toContain('a=sendonly');
    expect(out).not.toContain('a=sendrecv');
    expect(out.endsWith('\r\n')).toBe(true);
  });
});
