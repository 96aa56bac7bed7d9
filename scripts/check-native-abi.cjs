// electron-builder afterPack hook: refuses a package whose native modules were built for the wrong
// ABI. A better-sqlite3 binary built for Node (e.g. by a rebuild that silently used Node's headers,
// see shared/notes/platform.md) makes the packaged app crash on start; this stops the build instead.
// Set CALLDESK_SKIP_ABI_CHECK=1 only for throwaway dry runs (the test of the packaging rules).
/* eslint-disable @typescript-eslint/no-require-imports, no-console -- a CommonJS hook electron-builder require()s; it reports to the build log */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Every *.node file under `dir`. */
function findNativeModules(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) findNativeModules(full, out);
    else if (entry.name.endsWith('.node')) out.push(full);
  }
  return out;
}

/** The ABI a V8-API addon was built for (`node_register_module_v<ABI>`), 'napi' for N-API addons, or null. */
function addonAbi(file) {
  const text = fs.readFileSync(file).toString('latin1');
  const m = /node_register_module_v(\d+)/.exec(text);
  if (m) return m[1];
  return text.includes('napi_register_module_v1') ? 'napi' : null;
}

function expectedElectronAbi(projectDir) {
  return fs.readFileSync(path.join(projectDir, 'node_modules', 'electron', 'abi_version'), 'utf8').trim();
}

/** The check itself, exported for tests: returns the problems found (empty when the package is sound). */
function checkNativeModules(appOutDir, expectedAbi) {
  const modules = findNativeModules(appOutDir).filter((f) => f.includes('app.asar.unpacked'));
  const problems = [];
  if (!modules.some((f) => path.basename(f) === 'better_sqlite3.node')) {
    problems.push('better_sqlite3.node is missing from app.asar.unpacked: the app could not open its database.');
  }
  for (const file of modules) {
    const abi = addonAbi(file);
    if (abi !== 'napi' && abi !== expectedAbi) {
      problems.push(`${path.relative(appOutDir, file)} is built for ABI ${abi ?? 'unknown'}, Electron needs ${expectedAbi} (rebuild it for Electron on a machine that can download Electron headers).`);
    }
  }
  return problems;
}

async function afterPack(context) {
  if (process.env.CALLDESK_SKIP_ABI_CHECK === '1') {
    console.warn('check-native-abi: skipped (CALLDESK_SKIP_ABI_CHECK=1): this package must not be distributed.');
    return;
  }
  const problems = checkNativeModules(context.appOutDir, expectedElectronAbi(context.packager.projectDir));
  if (problems.length > 0) throw new Error(`Native module check failed:\n  ${problems.join('\n  ')}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.checkNativeModules = checkNativeModules;
module.exports.addonAbi = addonAbi;
