import { describe, expect, it } from 'vitest';
import { CustomerService } from '../../../../electron/core/customer/customerService';
import { createLogRoot } from '../../../../electron/core/log/logger';
import { AppError } from '../../../../shared/api/result';
import { createTestCustomers } from './testService';

function expectAppError(fn: () => unknown, code: string): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
    return err as AppError;
  }
  throw new Error(`expected an AppError ${code}`);
}

describe('CustomerService.save', () => {
  it('creates a customer with normalised phones, a generated code and defaults', () => {
    const { service } = createTestCustomers();
    const c = service.save({ name: '张伟', phones: [{ raw: '0755-8888 1234', label: 'work' }, { raw: '138 0013 8000' }] });
    expect(c.code).toBe('C00000001');
    expect(c.status).toBe('potential');
    expect(c.revision).toBe(0);
    expect(c.phones).toEqual([
      { raw: '0755-8888 1234', e164: '+8675588881234', extension: null, label: 'work', primary: true },
      { raw: '138 0013 8000', e164: '+8613800138000', extension: null, label: 'mobile', primary: false },
    ]);
  });

  it('round-trips every field', () => {
    const { service } = createTestCustomers();
    const input = {
      code: 'VIP-001',
      name: 'Alice Smith',
      company: 'Globex Ltd',
      type: 'company' as const,
      status: 'contracted' as const,
      level: 'platinum' as const,
      source: 'referral' as const,
      creditRating: 'AA' as const,
      points: 1200,
      ownerId: 'agent-7',
      tags: ['vip', 'complaint-open', 'vip'],
      birthday: '1985-11-24',
      preferredLanguage: 'en-GB',
      preferences: 'Calls after 6pm',
      notes: 'Prefers email follow-ups',
      contactPermissions: { call: true, sms: false, email: true },
      lifetimeValue: 12345.67,
      lifecycleStage: 'maturity' as const,
      lastContactAt: Date.UTC(2026, 9, 1),
      phones: [{ raw: '+44 20 7946 0958 ext. 12', label: 'work' as const, primary: true }],
      emails: [{ address: 'alice@globex.example', label: 'work' as const }],
      addresses: [{ label: 'billing' as const, line1: '1 High St', city: 'London', postalCode: 'EC1A 1BB', country: 'GB' }],
    };
    const c = service.save(input);
    expect(service.get(c.id)).toMatchObject({
      ...input,
      tags: ['vip', 'complaint-open'],
      phones: [{ raw: '+44 20 7946 0958 ext. 12', e164: '+442079460958', extension: '12', label: 'work', primary: true }],
      emails: [{ address: 'alice@globex.example', label: 'work', primary: true }],
      addresses: [{ label: 'billing', line1: '1 High St', line2: '', city: 'London', region: '', postalCode: 'EC1A 1BB', country: 'GB' }],
      serverVersion: null,
    });
  });

  it('refuses invalid fields with per-field issues and stores nothing', () => {
    const { service, repo } = createTestCustomers();
    const err = expectAppError(
      () => service.save({ name: '', status: 'happy', birthday: '2026-02-30', emails: [{ address: 'not-an-email' }], phones: [{ raw: 'call me' }] }),
      'INVALID_PAYLOAD',
    );
    const paths = (err.details as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'status', 'birthday', 'emails.0.address']));
    expect(repo.count()).toBe(0);
  });

  it('refuses an unreadable phone number with a reason naming it', () => {
    const { service } = createTestCustomers();
    const err = expectAppError(() => service.save({ name: 'Bob', phones: [{ raw: '12' }] }), 'INVALID_PAYLOAD');
    expect(err.message).toContain('phones.0.raw "12" is too short');
  });

  it('keeps exactly one primary phone and drops duplicate numbers', () => {
    const { service } = createTestCustomers();
    const c = service.save({
      name: 'Li Na',
      phones: [
        { raw: '13800138000' },
        { raw: '+86 138 0013 8000', primary: true },
        { raw: '010-6552 9988', primary: true },
      ],
      emails: [{ address: 'a@x.cn' }, { address: 'A@x.cn' }],
    });
    expect(c.phones.map((p) => [p.raw, p.primary])).toEqual([
      ['13800138000', false],
      ['010-6552 9988', true],
    ]);
    expect(c.emails).toHaveLength(1);
  });

  it('updates with the loaded revision and refuses a stale one', () => {
    const { service } = createTestCustomers();
    const c = service.save({ name: '王芳' });
    const updated = service.save({ ...c, name: '王芳芳', revision: c.revision });
    expect(updated.name).toBe('王芳芳');
    expect(updated.revision).toBe(1);
    expectAppError(() => service.save({ ...c, name: 'stale', revision: c.revision }), 'CONFLICT');
    expect(service.get(c.id).name).toBe('王芳芳');
  });

  it('refuses a duplicate customer code', () => {
    const { service } = createTestCustomers();
    service.save({ code: 'A1', name: 'One' });
    expectAppError(() => service.save({ code: 'a1', name: 'Two' }), 'CONFLICT');
  });

  it('answers NOT_FOUND for an unknown id', () => {
    const { service } = createTestCustomers();
    expectAppError(() => service.save({ id: 42, name: 'Ghost' }), 'NOT_FOUND');
    expectAppError(() => service.get(42), 'NOT_FOUND');
  });

  it('never moves the last contact time backwards on update', () => {
    const { service } = createTestCustomers();
    const c = service.save({ name: 'X', lastContactAt: 2_000 });
    expect(service.save({ ...c, lastContactAt: 1_000 }).lastContactAt).toBe(2_000);
    service.recordContact(c.id, 5_000);
    service.recordContact(c.id, 3_000);
    expect(service.get(c.id).lastContactAt).toBe(5_000);
  });
});

describe('CustomerService.reassign', () => {
  it('changes the owner and records from, to, who, why and when', () => {
    const { service, clock } = createTestCustomers();
    const c = service.save({ name: 'Zhao Lei', ownerId: 'agent-1' });
    clock.t += 1000;
    const { customer, change } = service.reassign({ id: c.id, ownerId: 'agent-2', changedBy: 'supervisor-1', reason: 'agent left' });
    expect(customer.ownerId).toBe('agent-2');
    expect(change).toMatchObject({ customerId: c.id, fromOwnerId: 'agent-1', toOwnerId: 'agent-2', changedBy: 'supervisor-1', reason: 'agent left', changedAt: clock.t });
    expect(service.ownerHistory(c.id)).toEqual([change]);
  });

  it('records an owner change made through save', () => {
    const { service } = createTestCustomers();
    const c = service.save({ name: 'Zhao Lei', ownerId: 'agent-1' });
    service.save({ ...c, ownerId: null }, 'agent-1');
    expect(service.ownerHistory(c.id)).toMatchObject([{ fromOwnerId: 'agent-1', toOwnerId: null, changedBy: 'agent-1' }]);
  });

  it('answers NOT_FOUND for an unknown customer', () => {
    const { service } = createTestCustomers();
    expectAppError(() => service.reassign({ id: 9, ownerId: 'a' }), 'NOT_FOUND');
  });
});

describe('CustomerService.lookupCaller', () => {
  it('finds a customer stored as 0755-8888 1234 when +86 755 88881234 calls', () => {
    const { service } = createTestCustomers();
    const c = service.save({ name: '张伟', phones: [{ raw: '0755-8888 1234' }] });
    const found = service.lookupCaller({ number: '+86 755 88881234' });
    expect(found.matches.map((m) => m.id)).toEqual([c.id]);
    expect(found.caller).toMatchObject({ kind: 'number', number: { e164: '+8675588881234' } });
  });

  it('orders several matches by last contact, most recent first', () => {
    const { service } = createTestCustomers();
    const a = service.save({ name: 'A', phones: [{ raw: '13800138000' }], lastContactAt: 1_000 });
    const b = service.save({ name: 'B', phones: [{ raw: '+8613800138000' }], lastContactAt: 3_000 });
    const c = service.save({ name: 'C', phones: [{ raw: '0086 138 0013 8000' }] });
    expect(service.lookupCaller({ from: '<sip:13800138000@pbx>' }).matches.map((m) => m.id)).toEqual([b.id, a.id, c.id]);
  });

  it('matches nothing for a withheld caller', () => {
    const { service } = createTestCustomers();
    service.save({ name: 'A', phones: [{ raw: '13800138000' }] });
    expect(service.lookupCaller({ from: '<sip:anonymous@anonymous.invalid>' })).toEqual({ caller: { kind: 'withheld', displayName: null }, matches: [] });
  });

  it('strips the configured PBX prefix', () => {
    const { service } = createTestCustomers({ pbxPrefixes: ['9'] });
    const c = service.save({ name: 'A', phones: [{ raw: '13800138000' }] });
    expect(service.lookupCaller({ number: '913800138000' }).matches.map((m) => m.id)).toEqual([c.id]);
  });
});

describe('CustomerService change hook', () => {
  it('runs inside the transaction of each change, and a failing hook undoes the change', () => {
    const { repo, clock, db } = createTestCustomers();
    const seen: Array<{ operation: string; inTransaction: boolean; baseRevision: number | null }> = [];
    let fail = false;
    const service = new CustomerService(
      repo,
      clock,
      { phone: () => ({ defaultRegion: 'CN' }), dormantDays: () => 90 },
      createLogRoot([]).createLogger('t'),
      (change) => {
        seen.push({ operation: change.operation, inTransaction: db.inTransaction, baseRevision: change.baseRevision });
        if (fail) throw new Error('outbox full');
      },
    );
    const c = service.save({ name: 'A' });
    service.save({ ...c, name: 'B' });
    service.reassign({ id: c.id, ownerId: 'agent-9' });
    expect(seen).toEqual([
      { operation: 'create', inTransaction: true, baseRevision: null },
      { operation: 'update', inTransaction: true, baseRevision: 0 },
      { operation: 'reassign', inTransaction: true, baseRevision: 1 },
    ]);
    fail = true;
    expect(() => service.save({ ...service.get(c.id), name: 'C' })).toThrow('outbox full');
    expect(service.get(c.id).name).toBe('B');
    expect(() => service.save({ name: 'D' })).toThrow('outbox full');
    expect(repo.count()).toBe(1);
  });
});
