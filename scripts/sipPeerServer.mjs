// Serves the simulated SIP customer page (test/helpers/sipPeer/peer.ts, bundled with esbuild) on
// 127.0.0.1, a secure context so getUserMedia works. Used by e2e tests and `npm run demo:call`.
import { build } from 'esbuild';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(root, '.tmp', 'sip-peer');

/** Builds and serves the peer page; resolves with its URL and a close function. */
export async function startPeerServer() {
  await build({
    entryPoints: [path.join(root, 'test', 'helpers', 'sipPeer', 'peer.ts')],
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
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve(undefined))) };
}
