import fs from 'node:fs';
import path from 'node:path';
import { contentTypeOf } from '../core/http/rendererAssets';
import { APP_HOST } from './appUrl';

/**
 * Privileges of the `app:` scheme, registered before `ready` with
 * `protocol.registerSchemesAsPrivileged`. `standard` gives it real origins and relative URLs,
 * `secure` makes it a secure context (getUserMedia, notifications), `stream` lets media play from it.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } as const;

/**
 * Serves the built renderer from `rendererDir` for `app://calldesk/...` with the CSP header (a
 * `file://` page gets no response headers, so a header CSP is only possible on our own scheme).
 * Paths outside the folder are refused; unknown paths without an extension get index.html (SPA).
 */
export function createAppProtocolHandler(rendererDir: string, csp: string): (request: Request) => Promise<Response> {
  const rootDir = path.resolve(rendererDir);
  const plain = (status: number, text: string) => new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method Not Allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'Bad Request');
    }
    if (url.host.toLowerCase() !== APP_HOST) return plain(404, 'Not Found');
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    } catch {
      return plain(400, 'Bad Request');
    }
    let file = path.resolve(rootDir, rel || 'index.html');
    if (file !== rootDir && !file.startsWith(rootDir + path.sep)) return plain(403, 'Forbidden');
    const stat = await fs.promises.stat(file).catch(() => null);
    if (!stat || stat.isDirectory()) {
      if (path.extname(rel) !== '') return plain(404, 'Not Found');
      file = path.join(rootDir, 'index.html');
    }
    const body = await fs.promises.readFile(file).catch(() => null);
    if (!body) return plain(503, 'The renderer is not built. Run: npm run build');
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'content-type': contentTypeOf(file),
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    });
  };
}
