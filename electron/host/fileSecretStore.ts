import fs from 'node:fs';
import path from 'node:path';
import type { SecretStore } from '../core/adapters';

/**
 * Secret store for the browser host: a JSON file readable only by the user (mode 0600). Weaker
 * than an OS keychain, so it carries a warning the UI shows next to password fields.
 */
export function createFileSecretStore(file: string): SecretStore {
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const write = (data: Record<string, string>) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
    fs.renameSync(tmp, file);
    fs.chmodSync(file, 0o600);
  };
  return {
    warning: `Passwords are stored in ${file} (readable only by your user account), not in the OS keychain.`,
    async get(name) {
      return read()[name] ?? null;
    },
    async set(name, value) {
      write({ ...read(), [name]: value });
    },
    async delete(name) {
      const data = read();
      delete data[name];
      write(data);
    },
  };
}
