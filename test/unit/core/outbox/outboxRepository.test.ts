import { describe, expect, it } from 'vitest';
import { CLIENT_ID_META_KEY, OutboxRepository } from '../../../../electron/core/outbox/outboxRepository';
import { openDatabase } from '../../../../electron/core/store/database';
import { agentStateEventPushPayloadSchema } from '../../../../shared/sync/payloads';

// These tests are about storage (numbering, client ids, re-keying): their payloads are stubs, cast
// past the per-entity payload types (`as never`) that the services' appends are checked against.
describe('outbox repository', () => {
  it('types each entity\'s payload by its sync schema (shared/sync/payloads.ts)', () => {
    const db = openDatabase({ file: ':memory:' });
    const outbox = new OutboxRepository(db, () => 1);
    const event = { id: 'e1', agentId: 'alice', fromState: null, fromReason: null, toState: 'ready', toReason: null, at: 1, previousMs: null, callId: null, cause: null } as const;
    const entry = db.transaction(() => outbox.append({ entity: 'agent-state-event', entityId: 'e1', operation: 'create', baseVersion: null, payload: { record: event } }))();
    expect(agentStateEventPushPayloadSchema.parse(entry.payload)).toEqual({ record: event });
    expect(outbox.forEntity('agent-state-event', 'e1')[0]!.payload).toEqual({ record: event });
    // @ts-expect-error a task payload is not an agent state event's
    const wrong = () => outbox.append({ entity: 'agent-state-event', entityId: 'e2', operation: 'create', baseVersion: null, payload: { record: { id: 'e2', title: 'call back' } } });
    expect(wrong).toThrow('transaction');
  });

  it('numbers entries per client from 1 and keeps one client id', () => {
    const db = openDatabase({ file: ':memory:' });
    const outbox = new OutboxRepository(db, () => 1000);
    const a = db.transaction(() => outbox.append({ entity: 'ticket', entityId: 't1', operation: 'create', baseVersion: null, payload: { record: { id: 't1' } } as never }))();
    const b = db.transaction(() => outbox.append({ entity: 'ticket', entityId: 't1', operation: 'update', baseVersion: 1, payload: { changed: ['subject'] } as never }))();
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect(a.clientId).toBe(b.clientId);
    expect(db.prepare('SELECT value FROM meta WHERE key = ?').get(CLIENT_ID_META_KEY)).toEqual({ value: a.clientId });
    expect(new OutboxRepository(db, () => 0).clientId()).toBe(a.clientId);
    expect(outbox.forEntity('ticket', 't1').map((e) => [e.seq, e.operation, e.baseVersion])).toEqual([
      [1, 'create', null],
      [2, 'update', 1],
    ]);
  });

  it('refuses to write outside a transaction', () => {
    const db = openDatabase({ file: ':memory:' });
    const outbox = new OutboxRepository(db, () => 1);
    expect(() => outbox.append({ entity: 'task', entityId: 'k', operation: 'create', baseVersion: null, payload: {} as never })).toThrow('An outbox entry must be written in the transaction of its change');
    expect(outbox.count()).toBe(0);
  });

  it('puts entries ahead of everything waiting, renumbered, only while the server has acknowledged none', () => {
    const db = openDatabase({ file: ':memory:' });
    const outbox = new OutboxRepository(db, () => 7);
    db.transaction(() => {
      outbox.append({ entity: 'ticket', entityId: 't1', operation: 'create', baseVersion: null, payload: { record: { id: 't1', customerId: 4 } } as never });
      outbox.append({ entity: 'interaction', entityId: 'i1', operation: 'create', baseVersion: null, payload: { record: { id: 'i1', customerId: 4 } } as never });
    })();
    expect(() => outbox.prepend([{ entity: 'customer', entityId: '4', operation: 'create', baseVersion: null, payload: {} as never }])).toThrow('transaction');
    db.transaction(() => outbox.prepend([{ entity: 'customer', entityId: '4', operation: 'create', baseVersion: null, payload: { record: { id: 4 } } as never }]))();
    expect(outbox.unsent().map((e) => [e.seq, e.entity, e.entityId])).toEqual([
      [1, 'customer', '4'],
      [2, 'ticket', 't1'],
      [3, 'interaction', 'i1'],
    ]);
    expect(outbox.forEntity('ticket', 't1')[0]!.payload).toEqual({ record: { id: 't1', customerId: 4 } });
    // Once the server has acknowledged a sequence number, it keeps its meaning.
    outbox.markSentThrough(1);
    expect(() => db.transaction(() => outbox.prepend([{ entity: 'customer', entityId: '5', operation: 'create', baseVersion: null, payload: {} as never }]))()).toThrow('acknowledged');
    expect(outbox.count()).toBe(3);
  });

  it('marks entries acknowledged by the server', () => {
    const db = openDatabase({ file: ':memory:' });
    const outbox = new OutboxRepository(db, () => 5);
    for (let i = 0; i < 3; i++) db.transaction(() => outbox.append({ entity: 'task', entityId: `k${i}`, operation: 'create', baseVersion: null, payload: {} as never }))();
    expect(outbox.markSentThrough(2, 9)).toBe(2);
    expect(outbox.unsent().map((e) => e.seq)).toEqual([3]);
    expect(outbox.count(true)).toBe(1);
  });

  it('re-keys: a new client id, the unsent entries numbered from 1 under it in order, the ones the server has marked sent', () => {
    const db = openDatabase({ file: ':memory:' });
    const outbox = new OutboxRepository(db, () => 5);
    const add = (id: string) => db.transaction(() => outbox.append({ entity: 'task', entityId: id, operation: 'create', baseVersion: null, payload: {} as never }))();
    for (const id of ['k1', 'k2', 'k3', 'k4', 'k5']) add(id);
    outbox.markSentThrough(1);
    const old = outbox.clientId();
    // The server has seq 2 (the same change on the copy), and diverges at 3.
    const r = outbox.rekey(2);
    expect(r).toMatchObject({ from: old, resent: 3 });
    expect(r.to).not.toBe(old);
    expect(outbox.clientId()).toBe(r.to);
    expect(new OutboxRepository(db, () => 0).clientId()).toBe(r.to);
    expect(outbox.unsent().map((e) => [e.clientId, e.seq, e.entityId])).toEqual([
      [r.to, 1, 'k3'],
      [r.to, 2, 'k4'],
      [r.to, 3, 'k5'],
    ]);
    expect(outbox.forEntity('task', 'k2').map((e) => [e.clientId, e.seq, e.sentAt !== null])).toEqual([[old, 2, true]]);
    expect(add('k6').seq).toBe(4);

    // Moving to another server: every entry, old client ids too, numbered from 1 under one new id.
    expect(outbox.markAllUnsent()).toBe(2);
    const all = outbox.unsent();
    expect(all.map((e) => e.entityId)).toEqual(['k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(all.map((e) => e.clientId))).toEqual(new Set([outbox.clientId()]));
  });
});
