// Builds everything `npm start`, `npm run start:web` and electron-builder need, into dist/:
//   dist/electron/main.cjs    Electron main process (CommonJS; electron and better-sqlite3 stay external,
//                             everything else, including the ESM-only sip.js, is bundled in)
//   dist/electron/icon.png    window icon (Linux), from resources/build/icons (npm run icons)
//   dist/electron/preload.cjs sandboxed preload (only `electron` may be required at run time)
//   dist/host/main.mjs        browser host (ESM; npm packages stay external, resolved from node_modules)
//   dist/renderer/            the renderer, built by Vite from vite.config.ts
//   dist/server/main.mjs      central server (`npm run server`); dist/server/admin.mjs its admin CLI
// Usage: node scripts/build.mjs [--only main,preload,host,server,renderer] [--outdir DIR (default dist)]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdirArg = process.argv.indexOf('--outdir');
const dist = outdirArg > 0 && process.argv[outdirArg + 1] ? path.resolve(process.argv[outdirArg + 1]) : path.join(root, 'dist');

/** Electron 41 ships Node 24 and Chromium 146; the browser host runs on Node >= 20. */
const ELECTRON_NODE_TARGET = 'node22';
const ELECTRON_CHROME_TARGET = 'chrome120';

const steps = {
  main: async () => {
    // The window icon on Linux (Windows and macOS take it from the executable).
    fs.mkdirSync(path.join(dist, 'electron'), { recursive: true });
    fs.copyFileSync(path.join(root, 'resources/build/icons/256x256.png'), path.join(dist, 'electron/icon.png'));
    return esbuild.build({
      ...common(),
      entryPoints: [path.join(root, 'electron/main.ts')],
      outfile: path.join(dist, 'electron/main.cjs'),
      platform: 'node',
      format: 'cjs',
      target: ELECTRON_NODE_TARGET,
      external: ['electron', 'better-sqlite3'],
    });
  },
  preload: () =>
    esbuild.build({
      ...common(),
      entryPoints: [path.join(root, 'electron/preload.ts')],
      outfile: path.join(dist, 'electron/preload.cjs'),
      // A sandboxed preload has no Node: only require('electron') works, so bundle all the rest.
      platform: 'browser',
      format: 'cjs',
      target: ELECTRON_CHROME_TARGET,
      external: ['electron'],
      // The contract pulls in zod (~750 kB unminified); the preload is parsed on every window load.
      minify: true,
    }),
  host: () =>
    esbuild.build({
      ...common(),
      entryPoints: [path.join(root, 'electron/host/main.ts')],
      outfile: path.join(dist, 'host/main.mjs'),
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
    }),
  server: () =>
    esbuild.build({
      ...common(),
      entryPoints: { main: path.join(root, 'server/main.ts'), admin: path.join(root, 'server/admin.ts') },
      outdir: path.join(dist, 'server'),
      outExtension: { '.js': '.mjs' },
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
    }),
  renderer: async () => {
    const { build } = await import('vite');
    await build({
      configFile: path.join(root, 'vite.config.ts'),
      root: path.join(root, 'renderer'),
      logLevel: 'warn',
      build: { outDir: path.join(dist, 'renderer'), emptyOutDir: true },
    });
  },
};

function common() {
  return {
    bundle: true,
    sourcemap: true,
    logLevel: 'warning',
    absWorkingDir: root,
  };
}

function parseOnly(argv) {
  const i = argv.indexOf('--only');
  if (i < 0) return Object.keys(steps);
  const names = (argv[i + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !(n in steps));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only expects a comma-separated list of ${Object.keys(steps).join(', ')}; got "${argv[i + 1] ?? ''}"`);
  }
  return names;
}

async function main() {
  const names = parseOnly(process.argv.slice(2));
  for (const name of names) {
    const started = Date.now();
    await steps[name]();
    process.stdout.write(`build: ${name} ok (${Date.now() - started} ms)\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
