import crypto from 'node:crypto';
import { monitorClaimsSchema, splitMonitorToken, type MonitorClaims, type MonitorRefusal } from '../../../shared/monitor/token';

/** The outcome of checking a token's form and signature. */
export type TokenCheck = { ok: true; claims: MonitorClaims } | { ok: false; reason: MonitorRefusal; claims?: MonitorClaims };

/**
 * The server's Ed25519 public key from its setting form (`monitoring.serverKey`: the raw 32 bytes,
 * base64). Null when empty or unusable: then every monitoring request is refused (`no-key`).
 */
export function monitorKeyFromBase64(b64: string): crypto.KeyObject | null {
  if (!b64) return null;
  const raw = Buffer.from(b64, 'base64');
  if (raw.length !== 32) return null;
  try {
    return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  } catch {
    return null;
  }
}

/**
 * Checks a monitoring token's form and Ed25519 signature (shared/monitor/token.ts has the wire
 * form); the claims themselves are checked by `checkMonitorClaims`. Never throws.
 */
export function verifyMonitorToken(token: string, key: crypto.KeyObject | null): TokenCheck {
  const parts = splitMonitorToken(token);
  if (!parts) return { ok: false, reason: 'malformed' };
  let claims: MonitorClaims;
  try {
    const parsed = monitorClaimsSchema.safeParse(JSON.parse(Buffer.from(parts.claims, 'base64url').toString('utf8')));
    if (!parsed.success) return { ok: false, reason: 'malformed' };
    claims = parsed.data;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!key) return { ok: false, reason: 'no-key', claims };
  const signature = Buffer.from(parts.signature, 'base64url');
  let valid = false;
  try {
    valid = signature.length === 64 && crypto.verify(null, Buffer.from(parts.signed, 'ascii'), key, signature);
  } catch {
    valid = false;
  }
  return valid ? { ok: true, claims } : { ok: false, reason: 'bad-signature', claims };
}
