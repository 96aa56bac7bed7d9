import fs from 'node:fs';
import path from 'node:path';
import type { LogRecord, LogSink } from './logger';

/** Options of the rotating file sink. */
export interface RotatingFileOptions {
  file: string;
  maxBytes?: number;
  maxFiles?: number;
}

/**
 * Appends JSON lines to `file`; when it grows past `maxBytes` it becomes `file.1`, older ones shift
 * up and the oldest beyond `maxFiles` is deleted. Synchronous so a crash loses no line.
 */
export function createRotatingFileSink({ file, maxBytes = 5 * 1024 * 1024, maxFiles = 5 }: RotatingFileOptions): LogSink {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  const rotate = () => {
    for (let i = maxFiles - 1; i >= 1; i--) {
      const from = i === 1 ? file : `${file}.${i - 1}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${file}.${i}`);
    }
    size = 0;
  };
  return {
    write(record: LogRecord) {
      const line = `${JSON.stringify(record)}\n`;
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > maxBytes) rotate();
      fs.appendFileSync(file, line);
      size += bytes;
    },
  };
}
