// Typechecks every layer with its own tsconfig (a wrong import or API fails its layer), two at a
// time: each project re-checks what it imports, so running them side by side halves the wall time.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const projects = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8')).references.map((r) => r.path);
const parallel = Number(process.env.TYPECHECK_JOBS ?? 2);

function check(project) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [tsc, '-p', project, '--noEmit'], { cwd: root });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      process.stdout.write(`typecheck ${project}: ${code === 0 ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)\n${out}`);
      resolve(code === 0);
    });
  });
}

// Longest first, so the two lanes finish together.
const queue = [...projects].sort((a, b) => Number(b.includes('test')) - Number(a.includes('test')) || Number(b.includes('renderer')) - Number(a.includes('renderer')));
const results = [];
await Promise.all(
  Array.from({ length: parallel }, async () => {
    while (queue.length) results.push(await check(queue.shift()));
  }),
);
process.exit(results.every(Boolean) ? 0 : 1);
