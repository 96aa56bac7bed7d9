import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * Inside this checkout (git-ignored `.tmp/`), so the bundle's external packages resolve from its
 * `node_modules`, and worktrees sharing one `node_modules` never run each other's server build.
 */
const OUT = path.join(root, '.tmp/calldesk-test-server');
let built = false;

/** Builds server/main.ts and server/admin.ts once per test run (scripts/build.mjs --only server). */
export function buildServerBundle(): string {
  if (!built) {
    const res = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--only', 'server', '--outdir', OUT], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`server build failed: ${res.stderr || res.stdout}`);
    built = true;
  }
  return path.join(OUT, 'server');
}

/** A server running as its own process (so tests can kill -9 it). */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  /** SIGKILL (no cleanup), then waits for the exit. */
  kill(): Promise<void>;
}

/** Starts `dist/server/main.mjs` with the environment and waits until it listens. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> {
  const dir = buildServerBundle();
  const child = spawn(process.execPath, [path.join(dir, 'main.mjs')], {
    env: { ...process.env, CALLDESK_SERVER_PORT: '0', CALLDESK_SERVER_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let out = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms: ${err}`)), timeoutMs);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /CALLDESK_SERVER_LISTENING (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${err}`));
    });
  });
  return {
    child,
    url,
    stderr: () => err,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs the admin CLI and returns its exit code and output. */
export function runAdminCli(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const dir = buildServerBundle();
  const res = spawnSync(process.execPath, [path.join(dir, 'admin.mjs'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}
