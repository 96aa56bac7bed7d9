/** The fix to print when the SQLite module cannot load. */
export const SQLITE_FIX: string;
/** Null when better-sqlite3 (resolved from projectRoot) loads in this runtime, else one line naming the fix. */
export function sqliteProblem(projectRoot: string): string | null;
