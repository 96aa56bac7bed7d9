import { argon2id, argon2Verify } from 'hash-wasm';
import { randomBytes } from 'node:crypto';

/** argon2id cost. Defaults follow OWASP's recommendation (19 MiB, 2 passes, 1 lane). */
export interface PasswordCost {
  /** Memory in KiB. */
  memoryKiB: number;
  iterations: number;
}

/** OWASP's minimum recommendation for argon2id. */
export const DEFAULT_PASSWORD_COST: PasswordCost = { memoryKiB: 19_456, iterations: 2 };

/** Shortest accepted password. */
export const MIN_PASSWORD_LENGTH = 8;

/** Hashes a password with argon2id (memory-hard, pure WebAssembly) into a PHC string with its salt and cost. */
export async function hashPassword(password: string, cost: PasswordCost = DEFAULT_PASSWORD_COST): Promise<string> {
  return argon2id({
    password,
    salt: randomBytes(16),
    parallelism: 1,
    iterations: cost.iterations,
    memorySize: cost.memoryKiB,
    hashLength: 32,
    outputType: 'encoded',
  });
}

/** True when `password` matches the PHC hash (constant work whatever the outcome). */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false;
  }
}
