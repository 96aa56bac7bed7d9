/** The command-line flag that writes a diagnostics bundle and exits. */
export const DIAGNOSTICS_FLAG = '--diagnostics-bundle';

/**
 * Reads `--diagnostics-bundle [FILE]` (or `--diagnostics-bundle=FILE`) from a command line:
 * undefined when absent, null when given without a file (the default folder), else the file.
 */
export function diagnosticsBundleArg(argv: readonly string[]): string | null | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith(`${DIAGNOSTICS_FLAG}=`)) return a.slice(DIAGNOSTICS_FLAG.length + 1) || null;
    if (a === DIAGNOSTICS_FLAG) {
      const next = argv[i + 1];
      return next !== undefined && !next.startsWith('--') ? next : null;
    }
  }
  return undefined;
}
