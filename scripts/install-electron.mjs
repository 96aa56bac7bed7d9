// Runs Electron's binary download ourselves so that `npm ci` succeeds on machines that cannot
// reach the download host (CI, air-gapped call centres): there we say so in one line and go on.
// Electron's own install script is denied in package.json (`allowScripts.electron: false`, npm 11),
// because its failure would fail the whole `npm ci`.
// Honoured: ELECTRON_SKIP_BINARY_DOWNLOAD, ELECTRON_MIRROR (e.g. https://npmmirror.com/mirrors/electron/),
// electron_config_cache, and CALLDESK_ELECTRON_DOWNLOAD_TIMEOUT_MS (default 10 minutes).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const installer = path.join(root, 'node_modules', 'electron', 'install.js');
if (!fs.existsSync(installer)) process.exit(0);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('calldesk: Electron binary download skipped (ELECTRON_SKIP_BINARY_DOWNLOAD); `npm start` will use the browser host.');
  process.exit(0);
}
const timeout = Number(process.env.CALLDESK_ELECTRON_DOWNLOAD_TIMEOUT_MS) || 600_000;
const r = spawnSync(process.execPath, [installer], { cwd: path.dirname(installer), stdio: ['ignore', 'ignore', 'pipe'], timeout, encoding: 'utf8' });
if (r.status === 0) {
  console.log('calldesk: Electron binary installed.');
} else {
  // The first line of the error says why (DNS, proxy, timeout, checksum); the stack adds nothing.
  const reason = r.error ? r.error.message : (r.stderr ?? '').split('\n').find((l) => l.trim()) ?? `exit code ${r.status}`;
  console.log(`calldesk: Electron binary could not be downloaded (${reason.trim().slice(0, 200)}); \`npm start\` will use the browser host instead. Set ELECTRON_MIRROR to use a mirror, then run: node scripts/install-electron.mjs`);
}
