import { describe, expect, it } from 'vitest';
import { callFailureFromError, callFailureFromSip, callFailureOf } from '../../../../shared/phone/callFailure';

describe('callFailure', () => {
  it('maps final SIP codes to failures an agent can act on', () => {
    expect([488, 606, 415].map(callFailureFromSip)).toEqual(['codecs', 'codecs', 'codecs']);
    expect([404, 410, 484, 604].map(callFailureFromSip)).toEqual(['not-found', 'not-found', 'not-found', 'not-found']);
    expect([486, 600].map(callFailureFromSip)).toEqual(['busy', 'busy']);
    expect([408, 480, 487].map(callFailureFromSip)).toEqual(['no-answer', 'no-answer', 'no-answer']);
    expect(callFailureFromSip(603)).toBe('declined');
    expect([401, 403, 407].map(callFailureFromSip)).toEqual(['forbidden', 'forbidden', 'forbidden']);
    expect([500, 502, 503, 504].map(callFailureFromSip)).toEqual(['pbx-error', 'pbx-error', 'pbx-error', 'pbx-error']);
    expect(callFailureFromSip(420)).toBe('other');
  });

  it('reads WebRTC and transport errors without showing them', () => {
    expect(callFailureFromError('media setDescription failed: Called with SDP without DTLS fingerprint')).toBe('media');
    expect(callFailureFromError('Failed to set remote answer sdp: Failed to set remote audio description send parameters for m-section with mid=0: no codec')).toBe('codecs');
    expect(callFailureFromError('NotAllowedError: Permission denied (getUserMedia)')).toBe('media');
    expect(callFailureFromError('WebSocket closed')).toBe('network');
    expect(callFailureFromError('something odd')).toBe('other');
  });

  it('describes only ends that are failures, by direction', () => {
    expect(callFailureOf({ reason: 'failed', sipCode: 404, message: 'Not Found' }, 'outbound')).toBe('not-found');
    expect(callFailureOf({ reason: 'failed', message: 'media setDescription failed: ICE failed' }, 'inbound')).toBe('media');
    expect(callFailureOf({ reason: 'failed' }, 'outbound')).toBe('other');
    expect(callFailureOf({ reason: 'busy', sipCode: 486 }, 'outbound')).toBe('busy');
    expect(callFailureOf({ reason: 'no-answer', sipCode: 480 }, 'outbound')).toBe('no-answer');
    expect(callFailureOf({ reason: 'rejected', sipCode: 603 }, 'outbound')).toBe('declined');
    expect(callFailureOf({ reason: 'rejected', sipCode: 486 }, 'inbound')).toBeUndefined();
    expect(callFailureOf({ reason: 'missed' }, 'inbound')).toBeUndefined();
    expect(callFailureOf({ reason: 'remote-hangup' }, 'inbound')).toBeUndefined();
  });
});
