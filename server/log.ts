/**
 * Structured server logging: one JSON line per record on stderr (or any sink), with secrets
 * (passwords, tokens, hashes) redacted from fields.
 */

/** Log levels in increasing severity. */
export const SERVER_LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** A log level. */
export type ServerLogLevel = (typeof SERVER_LOG_LEVELS)[number];

/** A scoped logger. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

const SECRET_KEY = /pass(word)?|token|secret|hash|authorization|cookie/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

/** Creates a logger writing JSON lines to `write` (default stderr) from `level` up. */
export function createServerLogger(scope = 'server', level: ServerLogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = SERVER_LOG_LEVELS.indexOf(level);
  const make = (s: string): Logger => {
    const emit = (lvl: ServerLogLevel, msg: string, fields?: Record<string, unknown>) => {
      if (SERVER_LOG_LEVELS.indexOf(lvl) < min) return;
      const rec: Record<string, unknown> = { time: new Date().toISOString(), level: lvl, scope: s, msg };
      if (fields) rec.fields = redact(fields);
      write(`${JSON.stringify(rec)}\n`);
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (sub) => make(`${s}.${sub}`),
    };
  };
  return make(scope);
}
