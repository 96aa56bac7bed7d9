import { shellEnUS, type ShellMessages } from '../../shared/i18n/locales/shell.en-US';
import { shellZhCN } from '../../shared/i18n/locales/shell.zh-CN';
import { toApiError } from '../../shared/api/result';

/** Shell strings for an OS locale (any zh-* gets Chinese, everything else English). */
export function shellMessages(locale: string): ShellMessages {
  return locale.toLowerCase().startsWith('zh') ? shellZhCN : shellEnUS;
}

/**
 * Title and text of the dialog shown when the core cannot start (newer database, invalid
 * configuration...): what happened in the user's language, then the core's own message (which
 * names the key or file) and where the data and log are.
 */
export function startupErrorDialog(err: unknown, locale: string, where: { dataDir: string; logFile: string }): { title: string; message: string } {
  const m = shellMessages(locale);
  const error = toApiError(err);
  const summary =
    error.code === 'DB_TOO_NEW' ? m.dbTooNew : error.code === 'CONFIG_INVALID' ? m.configInvalid : error.code === 'DB_ERROR' ? m.dbError : m.unknown;
  return {
    title: m.startFailedTitle,
    message: [summary, '', `${m.details}: ${error.message} (${error.code})`, `${m.dataFolder}: ${where.dataDir}`, `${m.logFile}: ${where.logFile}`].join('\n'),
  };
}
