import type { LogSink } from '../../../shared/log/logger';

/**
 * The core's logging: the one logger of `shared/log/` (scoped loggers, one redaction rule set shared
 * with the server) plus the Node sinks only a host process has.
 */
export { createLogRoot, createMemorySink, LOG_LEVELS, type LogLevel, type LogRecord, type LogRoot, type LogSink, type Logger } from '../../../shared/log/logger';

/** A sink that prints one line per record to stderr (development). */
export function createConsoleSink(stream: NodeJS.WritableStream = process.stderr): LogSink {
  return {
    write(r) {
      const fields = r.fields ? ` ${JSON.stringify(r.fields)}` : '';
      stream.write(`${r.time} ${r.level.toUpperCase().padEnd(5)} [${r.scope}] ${r.msg}${fields}\n`);
    },
  };
}
