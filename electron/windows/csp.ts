import { rendererCsp } from '../core/http/rendererAssets';

/**
 * The Content-Security-Policy of the renderer in Electron: the renderer talks to the core over IPC,
 * so it needs no WebSocket. The dev server variant allows Vite's inline react-refresh preamble and
 * its HMR socket; it is never used in a packaged app.
 */
export function electronCsp(devServerOrigin: string | null = null): string {
  if (devServerOrigin === null) return rendererCsp();
  return rendererCsp({ connect: [devServerOrigin.replace(/^http/, 'ws')], inlineScripts: true });
}
