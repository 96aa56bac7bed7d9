#!/usr/bin/env node
// `npm run bench`: builds, then runs the benchmarks (test/bench, vitest project "bench"), which print
// figures. The default profile is quick (smaller data sets, a few minutes); `npm run bench -- --full`
// runs the 1M-row data sets the issues quote. Other arguments are passed to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const full = args.includes('--full');
const rest = args.filter((a) => a !== '--full');
const started = Date.now();

const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

console.log(`bench: ${full ? 'full profile (1M-row data sets)' : 'quick profile (npm run bench -- --full for the 1M-row figures)'}`);
const r = spawnSync('npx', ['vitest', 'run', '--project', 'bench', '--reporter=verbose', '--silent=false', ...rest], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CALLDESK_BENCH_FULL: full ? '1' : '0' },
});
console.log(`bench: finished in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(r.status ?? 1);
