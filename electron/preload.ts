import { contextBridge, ipcRenderer, type IpcRenderer, type IpcRendererEvent } from 'electron';
import { createApiClient } from '../shared/api/client';
import type { ClientTransport } from '../shared/api/contract';
import { fail, type Result } from '../shared/api/result';

/**
 * The sandboxed preload: exposes `window.calldesk` (one function per contract channel, grouped by
 * domain) built by the shared client over IPC. The page never sees `ipcRenderer`, the IPC event
 * object (whose `sender` is `ipcRenderer`) or channel strings.
 */

/** Builds the client transport over `ipcRenderer`. Exported for tests. */
export function createIpcTransport(renderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): ClientTransport {
  return {
    async invoke(channel, payload): Promise<Result<unknown>> {
      try {
        return (await renderer.invoke(channel, payload)) as Result<unknown>;
      } catch (err) {
        // Only when the main process has no handler or crashed mid-call: the server never throws.
        return fail('UNAVAILABLE', `The CallDesk core did not answer ${channel}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    subscribe(channel, listener) {
      const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      renderer.on(channel, wrapped);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        renderer.removeListener(channel, wrapped);
      };
    },
  };
}

contextBridge.exposeInMainWorld('calldesk', createApiClient(createIpcTransport(ipcRenderer)));
