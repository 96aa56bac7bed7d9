import { describe, expect, it } from 'vitest';
import { createLogRoot, createMemorySink } from '../../../../shared/log/logger';
import { redact } from '../../../../shared/log/redact';

describe('logger', () => {
  it('writes scoped structured records and drops those below the level', () => {
    const sink = createMemorySink();
    const root = createLogRoot([sink], 'info');
    const log = root.createLogger('sip').child('transport');
    log.debug('hidden');
    log.info('connected', { attempt: 2 });
    expect(sink.records).toHaveLength(1);
    expect(sink.records[0]).toMatchObject({ level: 'info', scope: 'sip.transport', msg: 'connected', fields: { attempt: 2 } });
    root.setLevel('debug');
    log.debug('now shown');
    expect(sink.records).toHaveLength(2);
  });

  it('redacts secrets and masks personal data, also inside messages', () => {
    const sink = createMemorySink();
    const log = createLogRoot([sink]).createLogger('t');
    log.info('dialing 13812345678 now', { password: 'hunter2', authorization: 'Digest abc', phone: '+8613812345678', customerName: '张伟', nested: { token: 't0k', note: 'call 021-6123-4567' } });
    const text = JSON.stringify(sink.records[0]);
    for (const leaked of ['hunter2', 'Digest abc', '13812345', '张伟', 't0k', '6123-4567']) expect(text).not.toContain(leaked);
    expect(text).toContain('***5678');
    expect(redact({ count: 3, ok: true })).toEqual({ count: 3, ok: true });
  });

  it('a failing sink does not break logging to the others', () => {
    const sink = createMemorySink();
    const log = createLogRoot([{ write: () => { throw new Error('disk full'); } }, sink]).createLogger('x');
    expect(() => log.error('boom')).not.toThrow();
    expect(sink.records).toHaveLength(1);
  });
});

describe('one redaction rule set', () => {
  it('removes password hashes like every other secret', () => {
    expect(redact({ passwordHash: '$argon2id$v=19$m=1', hash: 'abc', count: 2 })).toEqual({ passwordHash: '[redacted]', hash: '[redacted]', count: 2 });
  });
});
