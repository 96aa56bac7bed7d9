import { describe, expect, it } from 'vitest';
import { SipTrace } from '../../../../electron/core/phone/sipTrace';

describe('SIP trace for the diagnostics bundle', () => {
  it('keeps the sent and received messages of sip.js transport log lines, and nothing else', () => {
    let now = Date.UTC(2026, 11, 3, 16);
    const trace = new SipTrace(() => now);
    expect(trace.takeLogLine('Sending WebSocket message:\n\nREGISTER sip:calldesk.test SIP/2.0\r\nCSeq: 1 REGISTER\r\n\r\n\n')).toBe(true);
    now += 20;
    expect(trace.takeLogLine('Received WebSocket text message:\n\nSIP/2.0 200 OK\r\nCSeq: 1 REGISTER\r\n\r\n\n')).toBe(true);
    expect(trace.takeLogLine('WebSocket opened ws://127.0.0.1:5066')).toBe(false);
    expect(trace.recent().map((e) => [e.direction, e.message.split('\r\n')[0]])).toEqual([
      ['sent', 'REGISTER sip:calldesk.test SIP/2.0'],
      ['received', 'SIP/2.0 200 OK'],
    ]);
    expect(trace.text()).toContain('--- 2026-12-03T16:00:00.020Z RECEIVED <<<\nSIP/2.0 200 OK');
  });

  it('drops messages older than the age limit and the oldest beyond the size limit', () => {
    let now = 0;
    const trace = new SipTrace(() => now, { maxAgeMs: 60_000, maxChars: 25 });
    trace.add({ at: now, direction: 'sent', message: 'OPTIONS 1' });
    now = 30_000;
    trace.add({ at: now, direction: 'sent', message: 'OPTIONS 2' });
    trace.add({ at: now, direction: 'sent', message: 'OPTIONS 3' });
    // 27 characters > 25: the oldest goes.
    expect(trace.recent().map((e) => e.message)).toEqual(['OPTIONS 2', 'OPTIONS 3']);
    now = 95_000;
    expect(trace.recent()).toEqual([]);
  });
});
