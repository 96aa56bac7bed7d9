import { build } from 'esbuild';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ROOT } from '../hostProcess';

const OUT_DIR = path.join(ROOT, '.tmp', 'sip-peer');

/** Serves the simulated SIP peer page on 127.0.0.1 (a secure context, so getUserMedia works). */
export async function startPeerServer(): Promise<{ url: string; close(): Promise<void> }> {
  await build({
    entryPoints: [path.join(ROOT, 'test', 'helpers', 'sipPeer', 'peer.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    outfile: path.join(OUT_DIR, 'peer.js'),
    logLevel: 'silent',
  });
  fs.writeFileSync(path.join(OUT_DIR, 'index.html'), '<!doctype html><html><head><title>sip-peer</title></head><body><script type="module" src="peer.js"></script></body></html>');
  const server = http.createServer((req, res) => {
    const file = req.url?.startsWith('/peer.js') ? 'peer.js' : 'index.html';
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' });
    fs.createReadStream(path.join(OUT_DIR, file)).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}
