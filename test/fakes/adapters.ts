import type { Notifier, SecretStore } from '../../electron/core/adapters';

/** A secret store in memory. */
export function createMemorySecretStore(): SecretStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    warning: null,
    get: async (n) => data.get(n) ?? null,
    set: async (n, v) => void data.set(n, v),
    delete: async (n) => void data.delete(n),
  };
}

/** A notifier that records what it was asked to show. */
export function createFakeNotifier(): Notifier & { shown: { title: string; body: string }[]; focused: number } {
  const fake = {
    shown: [] as { title: string; body: string }[],
    focused: 0,
    notify(title: string, body: string) {
      fake.shown.push({ title, body });
    },
    focusWindow() {
      fake.focused += 1;
    },
  };
  return fake;
}
