import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Name of the lock file inside an embedded (PGlite) data directory. */
export const DATA_DIR_LOCK_FILE = 'calldesk-server.lock';

/**
 * What the lock file says about the process holding the directory. A running server adds the
 * address of its HTTP API and a per-launch admin token, so the admin command line can send its
 * commands there instead of opening the directory a second time (the file is readable by the
 * directory's owner only; whoever can read it can open the database anyway).
 */
export const lockInfoSchema = z.object({
  pid: z.number().int().positive(),
  holder: z.enum(['server', 'admin']),
  since: z.number(),
  url: z.string().optional(),
  adminToken: z.string().optional(),
});
/** See {@link lockInfoSchema}. */
export type LockInfo = z.infer<typeof lockInfoSchema>;

/** Another live process holds the directory. */
export class DataDirBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockInfo,
  ) {
    super(
      `The data directory ${dir} is in use by ${holder.holder === 'server' ? 'a CallDesk server' : 'another admin command'} (process ${holder.pid}). ` +
        'PGlite allows one process per directory: stop that process first' +
        (holder.holder === 'server' ? ', or wait until it is listening (the admin command then goes through its admin API).' : '.'),
    );
    this.name = 'DataDirBusyError';
  }
}

/** A held lock. */
export interface DataDirLock {
  readonly file: string;
  /** Adds fields (the server's address and admin token once it listens). */
  update(fields: Pick<LockInfo, 'url' | 'adminToken'>): void;
  /** Removes the lock file (only if it is still ours). */
  release(): void;
}

/** True when a process with this id exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of `dir`, or null when the directory is free (no lock, or one left by a dead process). */
export function readDataDirLock(dir: string): LockInfo | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, DATA_DIR_LOCK_FILE), 'utf8');
  } catch {
    return null;
  }
  let info: LockInfo;
  try {
    info = lockInfoSchema.parse(JSON.parse(text));
  } catch {
    // Half-written by a process that died while creating it (it writes before it opens anything).
    return null;
  }
  return info.pid !== process.pid && processAlive(info.pid) ? info : null;
}

/**
 * Takes the directory for this process: creates the lock file exclusively; a lock left by a dead
 * process is replaced. Throws {@link DataDirBusyError} when a live process holds it.
 */
export function acquireDataDirLock(dir: string, holder: LockInfo['holder'], now: () => number = Date.now): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, DATA_DIR_LOCK_FILE);
  let info: LockInfo = { pid: process.pid, holder, since: now() };
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
      const live = readDataDirLock(dir);
      if (live) throw new DataDirBusyError(dir, live);
      // Stale: its process is gone. Remove it and try again (exclusively, so two openers cannot both win).
      fs.rmSync(file, { force: true });
    }
  }
  const ours = () => {
    try {
      return lockInfoSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8'))).pid === process.pid;
    } catch {
      return false;
    }
  };
  return {
    file,
    update(fields) {
      info = { ...info, ...fields };
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
      fs.renameSync(tmp, file);
    },
    release() {
      if (ours()) fs.rmSync(file, { force: true });
    },
  };
}
