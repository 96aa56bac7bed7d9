import { describe, expect, it } from 'vitest';
import { createWorkflowHarness } from '../../../helpers/workflowHarness';

describe('interaction log', () => {
  it('logs a visit, email, SMS or note by hand, with its outbox row', () => {
    const h = createWorkflowHarness();
    const e = h.workflow.interactions.addManual({ kind: 'visit', customerId: 7, subject: 'Site visit', notes: 'Checked the meter', occurredAt: h.clock.now() - 3600_000 });
    expect(e).toMatchObject({ kind: 'visit', customerId: 7, revisionKind: 'original', rootId: e.id, agentId: '1001', subject: 'Site visit' });
    expect(h.workflow.outbox.forEntity('interaction', e.id)).toHaveLength(1);
    expect(h.seen['interaction:logged']!.map((x) => x.id)).toEqual([e.id]);
  });

  it('corrects by writing a new linked entry: the timeline shows the correction once, the chain keeps both', () => {
    const h = createWorkflowHarness();
    const e = h.workflow.interactions.addManual({ kind: 'note', customerId: 7, subject: '', notes: 'Promised a refund of 50' });
    const fixed = h.workflow.interactions.correct({ id: e.id, reason: 'wrong amount', changes: { notes: 'Promised a refund of 15' } });
    expect(fixed).toMatchObject({ revisionOf: e.id, rootId: e.id, revisionKind: 'correction', correctionReason: 'wrong amount', notes: 'Promised a refund of 15' });
    expect(h.workflow.interactions.list(7, 5)).toMatchObject({ total: 1, items: [{ id: fixed.id }] });
    expect(h.workflow.interactions.get(e.id).revisions.map((r) => r.notes)).toEqual(['Promised a refund of 50', 'Promised a refund of 15']);
  });

  it('refuses to correct an old revision (CONFLICT) and an unknown disposition', () => {
    const h = createWorkflowHarness();
    const e = h.workflow.interactions.addManual({ kind: 'note', customerId: 7, subject: '', notes: 'a' });
    h.workflow.interactions.correct({ id: e.id, reason: 'r', changes: { notes: 'b' } });
    expect(() => h.workflow.interactions.correct({ id: e.id, reason: 'r', changes: { notes: 'c' } })).toThrow('This entry was already revised: correct the latest revision');
    const head = h.workflow.interactions.head(e.id)!;
    expect(() => h.workflow.interactions.correct({ id: head.id, reason: 'r', changes: { disposition: 'bogus' } })).toThrow('Unknown disposition "bogus"');
    expect(() => h.workflow.interactions.correct({ id: 'missing', reason: 'r', changes: { notes: 'x' } })).toThrow('No interaction missing');
  });

  it('moves a contact to another customer by correction', () => {
    const h = createWorkflowHarness();
    const e = h.workflow.interactions.addManual({ kind: 'email', customerId: 7, subject: 'Invoice', notes: '' });
    h.workflow.interactions.correct({ id: e.id, reason: 'wrong customer', changes: { customerId: 8 } });
    expect(h.workflow.interactions.list(7, 5).total).toBe(0);
    expect(h.workflow.interactions.list(8, 5).total).toBe(1);
  });

  it('pages a timeline newest first with a cursor and counts contacts, not revisions', () => {
    const h = createWorkflowHarness();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(h.workflow.interactions.addManual({ kind: 'note', customerId: 7, subject: '', notes: `n${i}`, occurredAt: 1_000_000 + i }).id);
    h.workflow.interactions.correct({ id: ids[3]!, reason: 'r', changes: { notes: 'n3 fixed' } });
    const first = h.workflow.interactions.list(7, 5);
    expect(first.total).toBe(12);
    expect(first.items.map((i) => i.notes)).toEqual(['n11', 'n10', 'n9', 'n8', 'n7']);
    const last = first.items.at(-1)!;
    const second = h.workflow.interactions.list(7, 5, { occurredAt: last.occurredAt, id: last.id });
    expect(second.items.map((i) => i.notes)).toEqual(['n6', 'n5', 'n4', 'n3 fixed', 'n2']);
  });

  it('logs a call once even when told twice', () => {
    const h = createWorkflowHarness();
    const id = h.phone.ring();
    h.phone.answer(id);
    h.phone.end(id);
    const again = h.workflow.interactions.logCall(h.phone.snapshot(id), { customerId: null, localNumber: null, queueHeader: '', quality: null });
    expect(again.callId).toBe(id);
    expect(h.db.prepare("SELECT count(*) AS n FROM interactions WHERE call_id = ? AND revision_kind = 'original'").get(id)).toEqual({ n: 1 });
  });

  it('keeps the quality summary of the call on its record', () => {
    const h = createWorkflowHarness();
    const id = h.phone.ring();
    h.phone.answer(id);
    h.phone.end(id);
    const quality = { samples: 3, mosAvg: 4.3, mosMin: 4.1, rttAvgMs: 20, jitterAvgMs: 2.5, lossAvg: 0.001, codec: 'opus' };
    const call = { ...h.phone.snapshot(id), id: 'other-call' };
    const e = h.workflow.interactions.logCall(call, { customerId: 3, localNumber: 'sip:1001@pbx.test', queueHeader: 'X-Queue', quality });
    expect(h.workflow.interactions.get(e.id).entry.quality).toEqual(quality);
  });

  it('logs the keys the other side pressed with the call (an IVR or a caller entering digits)', () => {
    const h = createWorkflowHarness();
    const id = h.phone.ring();
    h.phone.answer(id);
    h.phone.end(id);
    const call = { ...h.phone.snapshot(id), id: 'dtmf-call', dtmfReceived: '42#' };
    const e = h.workflow.interactions.logCall(call, { customerId: null, localNumber: null, queueHeader: '', quality: null });
    expect(e.dtmfReceived).toBe('42#');
    expect(h.workflow.interactions.get(e.id).entry.dtmfReceived).toBe('42#');
  });

  it('cleans what the phone system sent (names, headers) so the entry is stored and pushed as the same text', () => {
    const h = createWorkflowHarness();
    const id = h.phone.ring();
    h.phone.end(id);
    const snap = h.phone.snapshot(id);
    const call = { ...snap, id: 'hostile-call', remote: { ...snap.remote, displayName: 'Evil\u0000 \ud800Name' }, headers: { 'X-Queue\u0000': 'vip\udc00' } };
    const e = h.workflow.interactions.logCall(call, { customerId: null, localNumber: null, queueHeader: '', quality: null });
    const stored = h.workflow.interactions.get(e.id).entry;
    expect(stored).toMatchObject({ remoteName: 'Evil \uFFFDName', headers: { 'X-Queue': 'vip\uFFFD' } });
    expect((h.workflow.outbox.forEntity('interaction', e.id)[0]!.payload as { record: unknown }).record).toEqual(stored);
  });

  it('writes neither the entry nor its outbox row when the outbox write fails', () => {
    const h = createWorkflowHarness();
    h.db.exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    expect(() => h.workflow.interactions.addManual({ kind: 'sms', customerId: 7, subject: '', notes: 'x' })).toThrow('disk full');
    expect(h.db.prepare('SELECT count(*) AS n FROM interactions').get()).toEqual({ n: 0 });
    expect(h.seen['interaction:logged']).toBeUndefined();
  });
});
