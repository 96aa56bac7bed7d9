import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { AppError } from '../../shared/api/result';
import { findAppRoot } from '../core/appMeta';
import { diagnosticsBundleArg } from '../core/diagnostics/cliFlag';
import { createHostCore, startBrowserHost } from './startBrowserHost';

/** `npm run start:web`: runs the core in Node and serves the renderer on 127.0.0.1. */
function parseArgs(argv: string[]): { port: number; dataDir?: string; open: boolean } {
  const out: { port: number; dataDir?: string; open: boolean } = { port: Number(process.env.CALLDESK_PORT ?? 0), open: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') out.port = Number(argv[++i]);
    else if (a === '--data-dir') out.dataDir = argv[++i];
    else if (a === '--no-open') out.open = false;
    else if (a === '--diagnostics-bundle' && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) i++;
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new AppError('CONFIG_INVALID', `--port must be 0..65535`);
  return out;
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

/** `--diagnostics-bundle [FILE]`: writes the bundle (no window: audio devices are not listed) and exits. */
async function writeDiagnostics(appRoot: string, dataDir: string | undefined, file: string | null): Promise<void> {
  const core = await createHostCore({ appRoot, dataDir, demo: false });
  try {
    const saved = await core.diagnostics.save(null, file ?? undefined);
    process.stdout.write(`Diagnostics bundle written: ${saved.file} (${saved.bytes} bytes, ${saved.files.length} files, ${saved.secretsRemoved} secret values removed)\n`);
  } finally {
    await core.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const appRoot = findAppRoot(path.dirname(fileURLToPath(import.meta.url)));
  const bundle = diagnosticsBundleArg(process.argv.slice(2));
  if (bundle !== undefined) {
    await writeDiagnostics(appRoot, args.dataDir, bundle);
    process.exit(0);
  }
  const host = await startBrowserHost({ appRoot, port: args.port, dataDir: args.dataDir, consoleLog: process.env.NODE_ENV !== 'production' });
  process.stdout.write(`CallDesk is running: ${host.web.url}\n`);
  if (args.open && !process.env.CI) openBrowser(host.web.url);
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`CallDesk could not start: ${message}\n`);
  process.exit(1);
});
