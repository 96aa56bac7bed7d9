import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The built browser host, started as a real child process (as `npm run start:web` does). */
export interface HostProcess {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

/** Repository root (tests run from it). */
export const ROOT = path.resolve(import.meta.dirname, '..', '..');
const HOST_ENTRY = path.join(ROOT, 'dist', 'host', 'main.mjs');

/** A fresh temporary data folder. */
export function tempDataDir(prefix = 'calldesk-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts `dist/host/main.mjs` (built by `npm run build`) and waits for the URL line. */
export async function startHostProcess(opts: { dataDir?: string; env?: Record<string, string>; port?: number; /** Another build's host (bench baselines). */ entry?: string } = {}): Promise<HostProcess> {
  const entry = opts.entry ?? HOST_ENTRY;
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  const dataDir = opts.dataDir ?? tempDataDir();
  const child = spawn(process.execPath, [entry, '--no-open', '--data-dir', dataDir, '--port', String(opts.port ?? 0)], {
    cwd: ROOT,
    env: { ...process.env, CI: '1', CALLDESK_POLICY_FILE: path.join(dataDir, 'policy.json'), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 20 s:\n${out}`)), 20_000);
    const check = () => {
      const m = /CallDesk is running: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${out}`));
    });
  });
  const parsed = new URL(url);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
