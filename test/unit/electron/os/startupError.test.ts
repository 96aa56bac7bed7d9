import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/api/result';
import { shellEnUS } from '../../../../shared/i18n/locales/shell.en-US';
import { shellZhCN } from '../../../../shared/i18n/locales/shell.zh-CN';
import { startupErrorDialog } from '../../../../electron/os/startupError';

const where = { dataDir: '/home/a/.config/CallDesk', logFile: '/home/a/.config/CallDesk/logs/calldesk.log' };

describe('startupErrorDialog', () => {
  it('explains a database from a newer version, with the core message, the code and the paths', () => {
    const err = new AppError('DB_TOO_NEW', 'Database schema version 9 is newer than this app supports (3)');
    const { title, message } = startupErrorDialog(err, 'en-US', where);
    expect(title).toBe('CallDesk could not start');
    expect(message).toContain(shellEnUS.dbTooNew);
    expect(message).toContain('Database schema version 9 is newer than this app supports (3) (DB_TOO_NEW)');
    expect(message).toContain(where.dataDir);
    expect(message).toContain(where.logFile);
  });

  it('speaks Chinese on a zh-* system', () => {
    const { title, message } = startupErrorDialog(new AppError('CONFIG_INVALID', 'sip.server: Invalid URL'), 'zh-TW', where);
    expect(title).toBe(shellZhCN.startFailedTitle);
    expect(message).toContain(shellZhCN.configInvalid);
    expect(message).toContain('sip.server: Invalid URL');
  });

  it('handles errors that are not AppErrors', () => {
    expect(startupErrorDialog(new Error('boom'), 'en-US', where).message).toContain('boom (INTERNAL)');
    expect(startupErrorDialog('weird', 'en-US', where).message).toContain(shellEnUS.unknown);
  });

  it('has every shell string in both languages', () => {
    expect(Object.keys(shellZhCN).sort()).toEqual(Object.keys(shellEnUS).sort());
    for (const v of Object.values(shellZhCN)) expect(v.trim()).not.toBe('');
  });
});
