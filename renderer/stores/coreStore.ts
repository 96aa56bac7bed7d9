import { create } from 'zustand';
import type { CalldeskApi } from '../../shared/api/client';
import type { AppInfo, CoreState } from '../../shared/app/api';
import type { ApiError } from '../../shared/api/result';
import type { Bridge } from '../api/bridge';
import type { ConnectionState } from '../api/wsTransport';

/** Mirror of the core's state snapshot plus the renderer's connection to it. */
export interface CoreStore {
  api: CalldeskApi | null;
  connection: ConnectionState;
  state: CoreState | null;
  info: AppInfo | null;
  /** Subscribes to the bridge; returns a teardown. */
  attach(bridge: Bridge): () => void;
  /** Changes one setting; resolves to the error when refused. */
  setSetting(key: string, value: unknown): Promise<ApiError | null>;
}

/** The core store: one per app. */
export const useCoreStore = create<CoreStore>((set, get) => ({
  api: null,
  connection: 'connecting',
  state: null,
  info: null,
  attach(bridge) {
    set({ api: bridge.api });
    const refresh = async () => {
      const info = await bridge.api.app.info();
      if (info.ok) set({ info: info.value });
      const settings = await bridge.api.settings.get();
      if (settings.ok) set((s) => ({ state: { ready: true, ...(s.state ?? {}), settings: settings.value } }));
    };
    const offState = bridge.api.core.onState((state) => set({ state }));
    const offConn = bridge.onConnection((connection) => {
      set({ connection });
      if (connection === 'connected') void refresh();
    });
    return () => {
      offState();
      offConn();
    };
  },
  async setSetting(key, value) {
    const api = get().api;
    if (!api) return { code: 'DISCONNECTED', message: 'Not connected' };
    const r = await api.settings.set({ key, value });
    if (!r.ok) return r.error;
    set((s) => ({ state: s.state ? { ...s.state, settings: r.value } : s.state }));
    return null;
  },
}));
