/** English strings of the Electron shell (main-process dialogs shown before the renderer exists). */
export const shellEnUS = {
  startFailedTitle: 'CallDesk could not start',
  dbTooNew:
    'The local database was written by a newer version of CallDesk. It was left untouched. Install the newer version again, or ask your IT team.',
  configInvalid: 'The configuration is invalid. Correct it (policy file, environment variable or setting) and start CallDesk again.',
  dbError: 'The local database could not be opened.',
  unknown: 'An unexpected error stopped CallDesk.',
  details: 'Details',
  dataFolder: 'Data folder',
  logFile: 'Log file',
};

/** The keys of the shell strings; zh-CN must have every one. */
export type ShellMessages = typeof shellEnUS;
