// `npm start`: builds, then launches Electron when its binary is installed; otherwise says so in one
// line and starts the browser host instead. Extra arguments (`npm start -- --port 8080`) and
// SIGINT/SIGTERM are forwarded to the child; its exit code becomes ours.
// CALLDESK_START_SKIP_BUILD=1 starts what dist/ already holds (tests that must not rebuild dist/).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** The Electron executable when the binary is installed and executable, else null. */
function findElectronBinary() {
  let binary;
  try {
    // The `electron` package exports the binary's path; it throws when the download never happened.
    binary = createRequire(path.join(root, 'package.json'))('electron');
  } catch {
    return null;
  }
  if (typeof binary !== 'string') return null;
  try {
    fs.accessSync(binary, fs.constants.X_OK);
    return binary;
  } catch {
    return null;
  }
}

function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => {
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (err) => {
    process.stderr.write(`calldesk: could not start ${command}: ${err.message}\n`);
    process.exit(1);
  });
}

if (process.env.CALLDESK_START_SKIP_BUILD !== '1') {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const electron = findElectronBinary();
if (!electron) {
  // The browser host runs the core in this Node: its SQLite binary must load here.
  const { sqliteProblem } = await import('./nativeCheck.mjs');
  const problem = sqliteProblem(root);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}

// Demo profile (no configuration needed): the development PBX on fixed ports when Kamailio is
// installed, the demo agent account and demo customers (applied by the core only where nothing is
// configured yet). CALLDESK_DEMO=0 turns it off.
const demoEnv = {};
if (process.env.CALLDESK_DEMO !== '0') {
  demoEnv.CALLDESK_DEMO = '1';
  const { DEMO_PBX, startDemoPbx } = await import('./demoPbx.mjs');
  const pbx = await startDemoPbx();
  if (pbx) demoEnv.CALLDESK_DEMO_SIP_SERVER = DEMO_PBX.wsUrl;
}

if (electron) {
  const env = { ...process.env, ...demoEnv };
  // Set by some tools (and by Electron-as-Node parents); it would make Electron run as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  run(electron, ['.', ...args], env);
} else {
  process.stdout.write('calldesk: Electron is not installed here; starting the browser host instead (same as `npm run start:web`).\n');
  run(process.execPath, [path.join(root, 'dist/host/main.mjs'), ...args], { ...process.env, ...demoEnv });
}
