import { redact } from './redact';

/**
 * The one structured logger of CallDesk (desktop core and central server): scoped loggers over a
 * root that holds the sinks and the level; messages and fields are redacted (`./redact.ts`) before
 * any sink sees them. Hosts add their own sinks (a rotating file, the console, JSON lines on stderr).
 */

/** Log levels in increasing severity. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One structured log record. */
export interface LogRecord {
  time: string;
  level: LogLevel;
  scope: string;
  msg: string;
  fields?: Record<string, unknown>;
}

/** Where records go (a rotating file, the console, a test buffer). */
export interface LogSink {
  write(record: LogRecord): void;
}

/** A scoped structured logger. Fields are redacted before they reach any sink. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A child logger for a sub-scope (`sip` -> `sip.transport`). */
  child(scope: string): Logger;
}

/** The root of all loggers: sinks and the current minimum level. */
export interface LogRoot {
  createLogger(scope: string): Logger;
  setLevel(level: LogLevel): void;
  addSink(sink: LogSink): void;
}

/** Creates a log root writing to the given sinks. */
export function createLogRoot(sinks: LogSink[], level: LogLevel = 'info', now: () => Date = () => new Date()): LogRoot {
  let min = LOG_LEVELS.indexOf(level);
  const all = [...sinks];
  const make = (scope: string): Logger => {
    const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
      if (LOG_LEVELS.indexOf(lvl) < min) return;
      const record: LogRecord = { time: now().toISOString(), level: lvl, scope, msg: redact(msg) as string };
      if (fields) record.fields = redact(fields) as Record<string, unknown>;
      for (const sink of all) {
        try {
          sink.write(record);
        } catch {
          // A failing sink must never break the caller; the other sinks still get the record.
        }
      }
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (sub) => make(`${scope}.${sub}`),
    };
  };
  return {
    createLogger: make,
    setLevel: (l) => {
      min = LOG_LEVELS.indexOf(l);
    },
    addSink: (s) => {
      all.push(s);
    },
  };
}

/** Formats a record as one JSON line (with its newline). */
export function jsonLine(record: LogRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** A sink that keeps records in memory (tests, diagnostics). */
export function createMemorySink(limit = 1000): LogSink & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return {
    records,
    write(record) {
      records.push(record);
      if (records.length > limit) records.shift();
    },
  };
}
