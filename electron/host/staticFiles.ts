import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { contentTypeOf, rendererCsp } from '../core/http/rendererAssets';

/** The renderer's CSP in the browser host: it also connects to the host's WebSocket. */
export function webCsp(): string {
  return rendererCsp({ connect: ['ws://127.0.0.1:*', 'ws://localhost:*'] });
}

/** Serves the built renderer from `root` (SPA: unknown paths get index.html). */
export function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname).replace(/^\/+/, '');
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request path');
    return;
  }
  let file = path.resolve(root, rel || 'index.html');
  if (!file.startsWith(path.resolve(root) + path.sep) && file !== path.resolve(root)) {
    res.writeHead(403).end();
    return;
  }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
  if (!fs.existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The renderer is not built. Run: npm run build');
    return;
  }
  res.writeHead(200, {
    'content-type': contentTypeOf(file),
    'content-security-policy': webCsp(),
    'x-content-type-options': 'nosniff',
    'cache-control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  fs.createReadStream(file).pipe(res);
}
