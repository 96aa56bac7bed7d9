import { describe, expect, it } from 'vitest';
import type { WsServerMessage } from '../../../shared/api/wsProtocol';
import { createBoundedSender, SLOW_CLIENT_CLOSE_CODE, type BackpressureSocket } from '../../../electron/host/wsBackpressure';

/** A socket whose queued bytes the test controls: `drain()` is the client reading everything. */
class FakeSocket implements BackpressureSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: WsServerMessage[] = [];
  closedWith: { code: number; reason: string } | null = null;
  terminated = false;
  send(data: string): void {
    this.sent.push(JSON.parse(data) as WsServerMessage);
    this.bufferedAmount += data.length;
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
    this.readyState = 2;
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }
  drain(): void {
    this.bufferedAmount = 0;
  }
}

const limits = { highWaterBytes: 1000, maxPending: 50, pollMs: 5, closeGraceMs: 10 };
const event = (channel: string, payload: unknown): WsServerMessage => ({ type: 'event', channel, payload });
const until = async (pred: () => boolean) => {
  for (let i = 0; i < 1000 && !pred(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(pred()).toBe(true);
};

describe('createBoundedSender', () => {
  it('sends straight through while the client reads', () => {
    const ws = new FakeSocket();
    const sender = createBoundedSender(ws, () => undefined, limits);
    for (let i = 0; i < 100; i++) {
      sender.send(event('phone:state', { n: i }));
      ws.drain();
    }
    expect(ws.sent).toHaveLength(100);
    expect(sender.pending()).toBe(0);
  });

  it('coalesces snapshots and record changes while the client does not read, keeps order, and delivers the latest once it reads again', async () => {
    const ws = new FakeSocket();
    const sender = createBoundedSender(ws, () => undefined, limits);
    ws.bufferedAmount = 5000;
    for (let i = 0; i < 10_000; i++) {
      sender.send(event('phone:state', { n: i }));
      sender.send(event('ticket:changed', { id: 't1', n: i }));
    }
    sender.send({ type: 'result', id: 7, result: { ok: true, value: null } });
    sender.send(event('phone:state', { n: 'last' }));
    expect(ws.sent).toHaveLength(0);
    expect(sender.pending()).toBe(3);
    ws.drain();
    await until(() => sender.pending() === 0);
    expect(ws.sent).toEqual([event('ticket:changed', { id: 't1', n: 9999 }), { type: 'result', id: 7, result: { ok: true, value: null } }, event('phone:state', { n: 'last' })]);
    expect(ws.closedWith).toBeNull();
    sender.dispose();
  });

  it('closes a client that stopped reading once too many messages that cannot be coalesced wait, with a reason', async () => {
    const ws = new FakeSocket();
    const slow: Array<{ bufferedBytes: number; pending: number }> = [];
    const sender = createBoundedSender(ws, (d) => slow.push(d), limits);
    ws.bufferedAmount = 5000;
    for (let i = 0; i < 1000; i++) sender.send(event('app:notification', { title: `n${i}`, body: '', focus: false }));
    expect(ws.closedWith).toEqual({ code: SLOW_CLIENT_CLOSE_CODE, reason: expect.stringMatching(/not reading/) });
    expect(slow).toEqual([{ bufferedBytes: 5000, pending: 50 }]);
    expect(sender.pending()).toBe(0);
    await until(() => ws.terminated);
    expect(ws.sent).toHaveLength(0);
  });
});
