import fs from 'node:fs';
import path from 'node:path';

/** Finds the application root (the folder holding package.json) upwards from `start`. */
export function findAppRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return start;
    dir = up;
  }
}

/** Name and version from the app's package.json. */
export function readAppMeta(root: string): { name: string; version: string } {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string };
    return { name: 'CallDesk', version: pkg.version ?? '0.0.0' };
  } catch {
    return { name: 'CallDesk', version: '0.0.0' };
  }
}

/** The OS locale as a BCP 47 tag. */
export function osLocale(env: Record<string, string | undefined>): string {
  const fromEnv = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  if (fromEnv && fromEnv !== 'C' && fromEnv !== 'POSIX') return fromEnv.split('.')[0]!.replace('_', '-');
  return Intl.DateTimeFormat().resolvedOptions().locale;
}
