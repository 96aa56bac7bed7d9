/**
 * The Content-Security-Policy of the renderer in Electron. Stricter than the browser host's: the
 * renderer talks to the core over IPC, so it needs no WebSocket. The dev server variant allows Vite's
 * inline react-refresh preamble and its HMR socket; it is never used in a packaged app.
 */
export function electronCsp(devServerOrigin: string | null = null): string {
  const dev = devServerOrigin !== null;
  const hmr = dev ? ` ${devServerOrigin.replace(/^http/, 'ws')}` : '';
  return [
    "default-src 'self'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self'${hmr}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
