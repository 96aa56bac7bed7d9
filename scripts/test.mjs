// The whole test suite: typecheck, lint, unit (node + jsdom), integration and end-to-end.
// Real services (Kamailio, Chromium, PostgreSQL) must be installed: scripts/install-test-deps.sh.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const RESULTS = '.tmp/test-results.json';
fs.mkdirSync('.tmp', { recursive: true });
fs.rmSync(RESULTS, { force: true });

/** One plain closing line CI can read: `tests: N passed, N failed, N skipped`. */
function summary() {
  try {
    const r = JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
  } catch {
    // No results file: the run stopped before the tests (typecheck, lint or build failed).
  }
}

const steps = [
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['build', 'node', ['scripts/build.mjs']],
  ['tests', 'npx', ['vitest', 'run', '--project', 'node', '--project', 'jsdom', '--project', 'integration', '--project', 'e2e', '--reporter=default', '--reporter=json', `--outputFile.json=${RESULTS}`]],
];
for (const [name, cmd, args] of steps) {
  const started = Date.now();
  console.log(`\n== ${name} ==`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  console.log(`== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (name === 'tests') summary();
  if (r.status !== 0) process.exit(r.status ?? 1);
}
