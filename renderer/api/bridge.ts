import { createApiClient, type CalldeskApi } from '../../shared/api/client';
import { browserHostUrl, createWsTransport, type ConnectionState } from './wsTransport';

declare global {
  interface Window {
    /** Set by the Electron preload; in the browser host the renderer builds it over WebSocket. */
    calldesk?: CalldeskApi;
  }
}

/** How the renderer reaches the core. */
export interface Bridge {
  api: CalldeskApi;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

/**
 * Returns the API: the preload's `window.calldesk` in Electron (always connected), or a WebSocket
 * client to the browser host. Null when neither is available (page opened without its token).
 */
export function connectBridge(win: Window = window): Bridge | null {
  if (win.calldesk) {
    const api = win.calldesk;
    return { api, onConnection: (l) => (l('connected'), () => undefined) };
  }
  const url = browserHostUrl(win.location, win.sessionStorage);
  if (!url) return null;
  const transport = createWsTransport(url);
  const api = createApiClient(transport);
  win.calldesk = api;
  return { api, onConnection: (l) => transport.onConnection(l) };
}
