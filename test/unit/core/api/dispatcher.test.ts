import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../../../shared/api/contract';
import { createTestCore } from '../../../helpers/testCore';

describe('dispatcher', () => {
  it('answers a payload that fails its schema with INVALID_PAYLOAD and logs it', async () => {
    const { core, logs } = await createTestCore();
    const r = await core.dispatcher.invoke('settings:set', { key: 42 }, { transport: 'ipc' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(logs.some((l) => l.level === 'warn' && l.msg === 'invalid payload' && l.fields?.channel === 'settings:set')).toBe(true);
    await core.close();
  });

  it('answers an unknown channel with UNKNOWN_CHANNEL', async () => {
    const { core } = await createTestCore();
    const r = await core.dispatcher.invoke('nope:never', null, { transport: 'ws' });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    await core.close();
  });

  it('turns a refusal inside a handler into a typed error, never a throw', async () => {
    const { core } = await createTestCore();
    const r = await core.dispatcher.invoke('settings:set', { key: 'ui.language', value: 'xx' }, { transport: 'ws' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_SETTING' } });
    await core.close();
  });

  it('has a handler behind every invoke channel of the contract', async () => {
    const { core } = await createTestCore();
    for (const channel of INVOKE_CHANNELS) {
      const r = await core.dispatcher.invoke(channel, undefined, { transport: 'ws' });
      if (!r.ok) expect(r.error.code, channel).not.toBe('UNKNOWN_CHANNEL');
    }
    await core.close();
  });

  it('cleans text that cannot round-trip before it is stored or queued, and refuses non-finite numbers and insane dates', async () => {
    const { core } = await createTestCore();
    const r = await core.dispatcher.invoke('ticket:create', { type: 'inquiry', priority: 'P3', subject: 'pasted\u0000 binary \ud800', description: 'lone low \udc00 end' }, { transport: 'ipc' });
    expect(r.ok).toBe(true);
    const id = (r as { value: { id: string } }).value.id;
    expect(core.workflow.tickets.get(id).ticket).toMatchObject({ subject: 'pasted binary \uFFFD', description: 'lone low \uFFFD end' });
    const queued = core.workflow.outbox.forEntity('ticket', id)[0]!.payload as { record: { subject: string } };
    expect(queued.record.subject).toBe('pasted binary \uFFFD');

    const inf = await core.dispatcher.invoke('task:create', { kind: 'follow-up', title: 'x', dueAt: Infinity }, { transport: 'ipc' });
    expect(inf).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const far = await core.dispatcher.invoke('task:create', { kind: 'follow-up', title: 'x', dueAt: 8.6e15 }, { transport: 'ipc' });
    expect(far).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', message: expect.stringContaining('before 2100-01-01') } });
    await core.close();
  });
});
