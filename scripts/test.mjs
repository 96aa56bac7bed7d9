// The whole test suite: typecheck, lint, unit (node + jsdom), integration and end-to-end.
// Real services (Kamailio, Chromium, PostgreSQL) must be installed: scripts/install-test-deps.sh.
import { spawnSync } from 'node:child_process';

const steps = [
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['build', 'node', ['scripts/build.mjs']],
  ['tests', 'npx', ['vitest', 'run', '--project', 'node', '--project', 'jsdom', '--project', 'integration', '--project', 'e2e']],
];
for (const [name, cmd, args] of steps) {
  const started = Date.now();
  console.log(`\n== ${name} ==`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  console.log(`== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
