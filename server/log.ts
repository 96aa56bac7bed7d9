import { createLogRoot, jsonLine, type Logger, type LogLevel } from '../shared/log/logger';

/**
 * Structured server logging: one JSON line per record on stderr (or any sink). The logger and its
 * redaction (secrets removed, personal data masked) are the desktop's: `shared/log/`.
 */

export type { Logger } from '../shared/log/logger';

/** Creates a logger writing JSON lines to `write` (default stderr) from `level` up. */
export function createServerLogger(scope = 'server', level: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  return createLogRoot([{ write: (record) => write(jsonLine(record)) }], level).createLogger(scope);
}
