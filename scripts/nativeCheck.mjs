// Checks that better-sqlite3's native binary loads in this Node before the browser host starts, so a
// missing or wrong-runtime build (e.g. deleted by a failed rebuild) gives one line naming the fix
// instead of a stack trace about a bindings file.
import { createRequire } from 'node:module';
import path from 'node:path';

/** The fix to print when the SQLite module cannot load. */
export const SQLITE_FIX = 'npm rebuild better-sqlite3';

/**
 * Null when better-sqlite3, resolved from projectRoot, opens an in-memory database in this
 * runtime; otherwise one line saying what is wrong and how to fix it.
 */
export function sqliteProblem(projectRoot) {
  try {
    const Database = createRequire(path.join(projectRoot, 'package.json'))('better-sqlite3');
    new Database(':memory:').close();
    return null;
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200);
    return `calldesk: the SQLite module (better-sqlite3) cannot load in Node ${process.versions.node} (${reason}); fix: ${SQLITE_FIX}`;
  }
}
