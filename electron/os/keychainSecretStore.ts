import fs from 'node:fs';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { AppError } from '../../shared/api/result';
import type { SecretStore } from '../core/adapters';

/** The part of Electron's safeStorage the store uses (a fake in tests). */
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/**
 * SecretStore for Electron: each value is encrypted with the OS keychain key (safeStorage: DPAPI on
 * Windows, Keychain on macOS, libsecret/kwallet on Linux) and kept base64-encoded in a 0600 JSON
 * file in the user data folder. Create it after `app` is ready (safeStorage needs that on Linux).
 *
 * Without a keychain nothing is written in clear: `set` fails with UNAVAILABLE. A file that cannot be
 * parsed is never overwritten (that would lose every other secret): reads and writes fail instead.
 */
export function createKeychainSecretStore(file: string, safeStorage: SafeStorageLike): SecretStore {
  const read = (): Record<string, string> => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new AppError('UNAVAILABLE', `Cannot read the secret file ${file}: ${(err as Error).message}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new AppError('UNAVAILABLE', `The secret file ${file} is damaged (not JSON); it was left as it is. Move it away to start over.`);
    }
    if (!data || typeof data !== 'object' || Array.isArray(data) || Object.values(data).some((v) => typeof v !== 'string')) {
      throw new AppError('UNAVAILABLE', `The secret file ${file} is damaged (unexpected content); it was left as it is.`);
    }
    return data as Record<string, string>;
  };
  const write = (data: Record<string, string>) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
    fs.renameSync(tmp, file);
  };
  const checkName = (name: string) => {
    if (!/^[A-Za-z0-9_.:-]{1,200}$/.test(name) || name === '__proto__') {
      throw new AppError('INVALID_PAYLOAD', `Secret names are 1-200 characters of letters, digits, . _ : -; got "${name.slice(0, 50)}"`);
    }
  };
  const requireKeychain = () => {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new AppError('UNAVAILABLE', 'No OS keychain is available, so passwords cannot be stored on this computer.');
    }
  };
  return {
    get warning() {
      if (!safeStorage.isEncryptionAvailable()) return 'No OS keychain is available: passwords cannot be saved and must be entered at each start.';
      if (safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
        return 'No keyring service (GNOME Keyring or KWallet) is running: saved passwords are only obfuscated, not protected by a keychain.';
      }
      return null;
    },
    async get(name) {
      checkName(name);
      const data = read();
      const stored = Object.prototype.hasOwnProperty.call(data, name) ? data[name] : undefined;
      if (stored === undefined) return null;
      requireKeychain();
      try {
        return safeStorage.decryptString(Buffer.from(stored, 'base64'));
      } catch (err) {
        throw new AppError('UNAVAILABLE', `The saved secret "${name}" cannot be decrypted (the OS keychain changed?): ${(err as Error).message}`);
      }
    },
    async set(name, value) {
      checkName(name);
      requireKeychain();
      const data = read();
      data[name] = safeStorage.encryptString(value).toString('base64');
      write(data);
    },
    async delete(name) {
      checkName(name);
      const data = read();
      if (!Object.prototype.hasOwnProperty.call(data, name)) return;
      delete data[name];
      write(data);
    },
  };
}
