import { describe, expect, it } from 'vitest';
import { createServerLogger } from '../../../server/log';
import { redact } from '../../../shared/log/redact';

describe('server logger', () => {
  it('writes one JSON line per record from its level up, scoped like the desktop', () => {
    const lines: string[] = [];
    const log = createServerLogger('server', 'info', (l) => lines.push(l)).child('push');
    log.debug('hidden');
    log.info('applied', { count: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', scope: 'server.push', msg: 'applied', fields: { count: 3 } });
  });

  it('redacts with the desktop rule set: secrets removed, personal data masked, also in messages', () => {
    const lines: string[] = [];
    const log = createServerLogger('server', 'debug', (l) => lines.push(l));
    const fields = { password: 'hunter2', passwordHash: '$argon2id$x', authorization: 'Bearer abc', phone: '+8613812345678', customerName: '张伟', nested: { refreshToken: 'r0t', note: 'call 021-6123-4567' } };
    log.warn('caller 13812345678 refused', fields);
    const text = lines.join('');
    for (const leaked of ['hunter2', 'argon2id', 'Bearer abc', '13812345', '张伟', 'r0t', '6123-4567']) expect(text).not.toContain(leaked);
    const rec = JSON.parse(lines[0]!) as { msg: string; fields: unknown };
    expect(rec.msg).toBe(redact('caller 13812345678 refused'));
    expect(rec.fields).toEqual(redact(fields));
  });
});
