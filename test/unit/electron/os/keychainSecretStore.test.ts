import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeychainSecretStore, type SafeStorageLike } from '../../../../electron/os/keychainSecretStore';

/** A reversible stand-in for the OS keychain cipher (XOR with a key), so the file never holds the clear text. */
function fakeSafeStorage(over: Partial<SafeStorageLike> = {}): SafeStorageLike {
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    isEncryptionAvailable: () => true,
    encryptString: (s: string) => xor(Buffer.from(s, 'utf8')),
    decryptString: (b: Buffer) => xor(b).toString('utf8'),
    getSelectedStorageBackend: () => 'gnome_libsecret',
    ...over,
  };
}

describe('createKeychainSecretStore', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-secrets-'));
    file = path.join(dir, 'sub', 'secrets.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps secrets encrypted in a 0600 file and reads them back', async () => {
    const store = createKeychainSecretStore(file, fakeSafeStorage());
    await store.set('sip.password', 'hunter2-秘密');
    await store.set('server.token', 'tok');
    expect(await store.get('sip.password')).toBe('hunter2-秘密');
    expect(await createKeychainSecretStore(file, fakeSafeStorage()).get('server.token')).toBe('tok');
    expect(await store.get('absent')).toBeNull();
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('hunter2');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(store.warning).toBeNull();
  });

  it('deletes one secret and keeps the others', async () => {
    const store = createKeychainSecretStore(file, fakeSafeStorage());
    await store.set('a', '1');
    await store.set('b', '2');
    await store.delete('a');
    await store.delete('never-set');
    expect(await store.get('a')).toBeNull();
    expect(await store.get('b')).toBe('2');
  });

  it('without a keychain refuses to store anything and says so', async () => {
    const store = createKeychainSecretStore(file, fakeSafeStorage({ isEncryptionAvailable: () => false }));
    await expect(store.set('sip.password', 'x')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(fs.existsSync(file)).toBe(false);
    expect(store.warning).toMatch(/keychain/i);
  });

  it('warns when Linux falls back to the basic_text backend', () => {
    const store = createKeychainSecretStore(file, fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' }));
    expect(store.warning).toMatch(/obfuscated/);
  });

  it('never overwrites a damaged file: reads and writes fail and the bytes stay as they were', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"a": "b", broken');
    const before = fs.readFileSync(file);
    const store = createKeychainSecretStore(file, fakeSafeStorage());
    await expect(store.get('a')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/damaged/) });
    await expect(store.set('c', 'd')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(store.delete('a')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a secret the keychain can no longer decrypt', async () => {
    await createKeychainSecretStore(file, fakeSafeStorage()).set('sip.password', 'x');
    const store = createKeychainSecretStore(file, fakeSafeStorage({ decryptString: () => { throw new Error('Error while decrypting the ciphertext'); } }));
    await expect(store.get('sip.password')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/sip\.password.*cannot be decrypted/) });
  });

  it('refuses odd secret names (no prototype tricks)', async () => {
    const store = createKeychainSecretStore(file, fakeSafeStorage());
    for (const name of ['__proto__', '', 'a b', 'x'.repeat(201)]) {
      await expect(store.set(name, 'v'), name).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    }
    expect(fs.existsSync(file)).toBe(false);
  });
});
