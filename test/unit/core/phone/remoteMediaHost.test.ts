import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogRoot, createMemorySink } from '../../../../electron/core/log/logger';
import { RemoteMediaHost } from '../../../../electron/core/phone/remoteMediaHost';
import { RemoteSessionDescriptionHandler, modifierNames } from '../../../../electron/core/phone/remoteSdh';
import type { MediaRequest } from '../../../../shared/media/api';

function setup(timeoutMs = 1000) {
  const sink = createMemorySink();
  const sent: MediaRequest[] = [];
  const host = new RemoteMediaHost({ send: (r) => sent.push(r), logger: createLogRoot([sink]).createLogger('media'), timeoutMs });
  return { host, sent, logs: sink.records };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RemoteMediaHost (media request/response channel)', () => {
  it('sends requests with ids and resolves them with the matching response', async () => {
    const { host, sent } = setup();
    const p = host.getDescription('call-1', { hold: true }, ['holdModifier']);
    expect(sent[0]).toMatchObject({ callId: 'call-1', method: 'getDescription', args: [{ hold: true }, ['holdModifier']] });
    expect(host.respond({ id: 'nope', result: null })).toBe(false);
    expect(host.respond({ id: sent[0]!.id, result: { body: 'v=0', contentType: 'application/sdp' } })).toBe(true);
    await expect(p).resolves.toEqual({ body: 'v=0', contentType: 'application/sdp' });
  });

  it('rejects on an error response and on timeout', async () => {
    vi.useFakeTimers();
    const { host, sent, logs } = setup(500);
    const failing = host.setDescription('c', 'sdp', {}, []);
    host.respond({ id: sent[0]!.id, error: { message: 'bad sdp' } });
    await expect(failing).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const silent = host.rollbackDescription('c');
    vi.advanceTimersByTime(600);
    await expect(silent).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(logs.some((r) => r.msg === 'media request timed out')).toBe(true);
  });

  it('fails pending requests when a different media host announces itself, and reports renegotiation', async () => {
    const { host } = setup();
    const seen: [string, boolean][] = [];
    host.onReady((id, reneg) => seen.push([id, reneg]));
    host.ready('renderer-1');
    const pending = host.getDescription('c', {}, []);
    host.ready('renderer-2');
    await expect(pending).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(seen).toEqual([
      ['renderer-1', true],
      ['renderer-2', true],
    ]);
    host.ready('renderer-2');
    expect(seen[2]).toEqual(['renderer-2', false]);
  });

  it('sends fire-and-forget methods without waiting', () => {
    const { host, sent } = setup();
    host.sendDtmf('c', '1#', {});
    host.setMuted('c', true);
    host.close('c');
    expect(sent.map((r) => r.method)).toEqual(['sendDtmf', 'setMuted', 'close']);
  });
});

describe('RemoteSessionDescriptionHandler', () => {
  it('answers hasDescription locally and forwards the rest as JSON options and modifier names', async () => {
    const { host, sent } = setup();
    const sdh = new RemoteSessionDescriptionHandler('call-9', host, createLogRoot([]).createLogger('sdh'));
    expect(sdh.hasDescription('application/sdp')).toBe(true);
    expect(sdh.hasDescription('text/plain')).toBe(false);
    function holdModifier(d: RTCSessionDescriptionInit) {
      return Promise.resolve(d);
    }
    const p = sdh.getDescription({ hold: true, fn: () => 1 } as never, [holdModifier]);
    expect(sent[0]).toMatchObject({ callId: 'call-9', method: 'getDescription', args: [{ hold: true }, ['holdModifier']] });
    host.respond({ id: sent[0]!.id, result: { body: 'v=0', contentType: 'application/sdp' } });
    await expect(p).resolves.toEqual({ body: 'v=0', contentType: 'application/sdp' });
    expect(sdh.sendDtmf('5')).toBe(true);
    sdh.close();
    sdh.close();
    expect(sent.filter((r) => r.method === 'close')).toHaveLength(1);
    expect(sdh.sendDtmf('5')).toBe(false);
    expect(modifierNames([(x: RTCSessionDescriptionInit) => Promise.resolve(x)])).toEqual(['anonymous']);
  });
});
