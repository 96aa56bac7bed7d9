import WebSocket from 'ws';

/**
 * sip.js's transport uses the global `WebSocket`. Node 20 has none (Node 22+ and Electron's main do):
 * install the `ws` implementation when it is missing. Idempotent.
 */
export function ensureGlobalWebSocket(): void {
  const g = globalThis as { WebSocket?: unknown };
  if (typeof g.WebSocket !== 'function') g.WebSocket = WebSocket;
}
