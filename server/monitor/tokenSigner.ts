import crypto from 'node:crypto';
import { MONITOR_TOKEN_TTL_SECONDS, type MonitorClaims } from '../../shared/monitor/token';

/** An Ed25519 key pair of the server for monitoring tokens. */
export interface MonitorSigningKey {
  privateKey: crypto.KeyObject;
  /** The public key as the desktops configure it (`monitoring.serverKey`: raw 32 bytes, base64). */
  publicKeyBase64: string;
}

/** A fresh Ed25519 key pair. */
export function generateMonitorKey(): MonitorSigningKey {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  return monitorKeyFromPrivate(privateKey);
}

/** The key pair of a private key (PEM, PKCS#8) such as `CALLDESK_MONITOR_KEY` holds. */
export function monitorKeyFromPem(pem: string): MonitorSigningKey {
  const privateKey = crypto.createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the monitoring key must be an Ed25519 private key');
  return monitorKeyFromPrivate(privateKey);
}

function monitorKeyFromPrivate(privateKey: crypto.KeyObject): MonitorSigningKey {
  const jwk = crypto.createPublicKey(privateKey).export({ format: 'jwk' });
  return { privateKey, publicKeyBase64: Buffer.from(String(jwk.x), 'base64url').toString('base64') };
}

/** What the server states in a token (the rest is filled in here). */
export interface MonitorGrant {
  supervisor: string;
  agent: string;
  call: string;
}

/**
 * Signs a monitoring token (`v1.<claims>.<Ed25519 signature>`, shared/monitor/token.ts). Call it
 * only after the scope check: the signature is the server's word that this supervisor may monitor
 * this agent.
 */
export function signMonitorToken(grant: MonitorGrant, key: MonitorSigningKey, nowMs: number, ttlSeconds = MONITOR_TOKEN_TTL_SECONDS): string {
  const iat = Math.floor(nowMs / 1000);
  const claims: MonitorClaims = { v: 1, jti: crypto.randomUUID(), sup: grant.supervisor, agent: grant.agent, call: grant.call, iat, exp: iat + ttlSeconds };
  const signed = `v1.${Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')}`;
  const signature = crypto.sign(null, Buffer.from(signed, 'ascii'), key.privateKey).toString('base64url');
  return `${signed}.${signature}`;
}
