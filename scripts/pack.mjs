#!/usr/bin/env node
// `npm run pack:dir` (and any electron-builder run of ours): packages from a staging copy of the app,
// never from the development tree. electron-builder rebuilds native modules (better-sqlite3) for
// Electron in place; offline that rebuild deletes the build it replaces (node-gyp cleans first, then
// cannot download Electron's headers), and `npm start` could no longer open its database. In the
// staging folder the rebuild touches only copies, so the development install stays as it was
// whatever happens to the packaging.
//
//   node scripts/pack.mjs [electron-builder arguments]      e.g. --dir, --linux dir, -c.electronDist=…
//   CALLDESK_PACK_STAGE=<dir>   where to stage (default .tmp/pack-stage)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What electron-builder reads from the project: the config, the app files and the packages it ships. */
const STAGED = [
  'package.json',
  'electron-builder.yml',
  'dist',
  'resources',
  'scripts/check-native-abi.cjs',
  // Shipped native module and its runtime dependencies (electron-builder.yml `files`); copies, so a
  // rebuild for Electron happens here and not in node_modules.
  'node_modules/better-sqlite3',
  'node_modules/bindings',
  'node_modules/file-uri-to-path',
  // Electron's version and ABI (package metadata only; the binary comes from electronDist or a download).
  'node_modules/electron/package.json',
  'node_modules/electron/abi_version',
];

/** Copies the files electron-builder needs into a fresh staging folder and returns its path. */
export function stageApp(stage = process.env.CALLDESK_PACK_STAGE || path.join(root, '.tmp', 'pack-stage')) {
  fs.rmSync(stage, { recursive: true, force: true });
  for (const rel of STAGED) {
    const from = path.join(root, rel);
    if (!fs.existsSync(from)) throw new Error(`pack: ${rel} is missing (run npm ci and npm run build first)`);
    fs.cpSync(from, path.join(stage, rel), { recursive: true, dereference: true });
  }
  // The staged app declares only what it ships: everything else is bundled into dist/.
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  pkg.dependencies = { 'better-sqlite3': pkg.dependencies['better-sqlite3'] };
  pkg.devDependencies = { electron: pkg.devDependencies.electron, 'electron-builder': pkg.devDependencies['electron-builder'] };
  delete pkg.scripts;
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  return stage;
}

/** Placeholder feed URL of a build made without CALLDESK_UPDATE_URL (the `update.url` setting decides at run time). */
export const UPDATE_URL_PLACEHOLDER = 'https://updates.invalid/calldesk';

function main() {
  const args = process.argv.slice(2);
  if (!process.env.CALLDESK_UPDATE_URL) {
    process.stderr.write(`pack: CALLDESK_UPDATE_URL is not set: the update feed URL in this build is ${UPDATE_URL_PLACEHOLDER} (set update.url by policy)\n`);
    process.env.CALLDESK_UPDATE_URL = UPDATE_URL_PLACEHOLDER;
  }
  const stage = stageApp();
  const hasOutput = args.some((a) => a.startsWith('-c.directories.output'));
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'electron-builder', 'cli.js'),
      '--projectDir',
      stage,
      ...(hasOutput ? [] : [`-c.directories.output=${path.join(root, 'release')}`]),
      ...args,
    ],
    { cwd: stage, stdio: 'inherit', env: process.env },
  );
  process.exit(r.status ?? 1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
