import { describe, expect, it } from 'vitest';
import { CallLinkService } from '../../../../electron/core/cti/callLinkService';
import { CoreEvents } from '../../../../electron/core/events';
import { createLogRoot, createMemorySink } from '../../../../electron/core/log/logger';

describe('CallLinkService', () => {
  it('queues links until the renderer takes them, nudging it each time', () => {
    const events = new CoreEvents();
    const nudges: number[] = [];
    events.on('call:links-pending', ({ count }) => void nudges.push(count));
    const sink = createMemorySink();
    const links = new CallLinkService(events, createLogRoot([sink]).createLogger('links'));
    expect(links.push('tel:+8613800138000')).toBe(true);
    expect(links.push('https://evil.example.com')).toBe(false);
    expect(links.push('sip:1002@pbx')).toBe(true);
    expect(nudges).toEqual([1, 2]);
    expect(links.take()).toEqual(['tel:+8613800138000', 'sip:1002@pbx']);
    expect(links.take()).toEqual([]);
    expect(sink.records.some((r) => r.msg === 'call link ignored')).toBe(true);
  });
});
