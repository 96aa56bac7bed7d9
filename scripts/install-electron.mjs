// Runs Electron's binary download ourselves so that `npm ci` succeeds on machines that cannot
// reach the download host (CI, air-gapped call centres): there we say so in one line and go on.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const installer = path.join('node_modules', 'electron', 'install.js');
if (!fs.existsSync(installer)) process.exit(0);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('calldesk: Electron binary download skipped (ELECTRON_SKIP_BINARY_DOWNLOAD); `npm start` will use the browser host.');
  process.exit(0);
}
const r = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
if (r.status === 0) console.log('calldesk: Electron binary installed.');
else console.log('calldesk: Electron binary could not be downloaded here; `npm start` will use the browser host instead.');
