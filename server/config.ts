import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_PASSWORD_COST, type PasswordCost } from './auth/password';
import { LOG_LEVELS, type LogLevel } from '../shared/log/logger';

/** Everything the server needs to run. Built from the environment by {@link loadServerConfig}. */
export interface ServerConfig {
  host: string;
  port: number;
  /** Real PostgreSQL; without it the embedded PGlite runs. */
  databaseUrl: string | null;
  /** PGlite data directory (null = in memory). Ignored with `databaseUrl`. */
  dataDir: string | null;
  /** HMAC secret for access tokens: the same on every instance. */
  tokenSecret: string;
  /**
   * Ed25519 private key (PEM, PKCS#8) signing supervisors' monitoring tokens (docs/monitoring.md):
   * the same on every instance. Absent: a random key per process (desktops must then be given its
   * public key again after each restart).
   */
  monitorKeyPem?: string | null;
  accessTtlSeconds: number;
  refreshTtlDays: number;
  loginLimit: { max: number; windowMs: number };
  /** Largest request body in bytes (larger: 413). */
  bodyLimitBytes: number;
  passwordCost: PasswordCost;
  heartbeatMs: number;
  logLevel: LogLevel;
  /** Pool size per instance. */
  poolSize: number;
  /** Kamailio's evapi address: this instance runs the ACD router (docs/acd.md); null: no router. */
  acdEvapi: { host: string; port: number } | null;
  /** How often a standby router tries the leader lock (ms). */
  acdLeaderPollMs: number;
}

/** Defaults (safe for a demo on one machine). */
export const DEFAULT_SERVER_CONFIG: Omit<ServerConfig, 'tokenSecret'> = {
  host: '127.0.0.1',
  port: 8787,
  databaseUrl: null,
  dataDir: null,
  accessTtlSeconds: 15 * 60,
  refreshTtlDays: 30,
  loginLimit: { max: 5, windowMs: 60_000 },
  bodyLimitBytes: 1024 * 1024,
  passwordCost: DEFAULT_PASSWORD_COST,
  heartbeatMs: 15_000,
  logLevel: 'info',
  poolSize: 10,
  acdEvapi: null,
  acdLeaderPollMs: 1000,
};

const envSchema = z.object({
  CALLDESK_SERVER_HOST: z.string().optional(),
  CALLDESK_SERVER_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  CALLDESK_SERVER_DATA_DIR: z.string().min(1).optional(),
  CALLDESK_SERVER_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CALLDESK_MONITOR_KEY: z.string().regex(/-----BEGIN PRIVATE KEY-----/, 'must be an Ed25519 private key in PEM (PKCS#8)').optional(),
  CALLDESK_SERVER_BODY_LIMIT: z.coerce.number().int().min(1024).optional(),
  CALLDESK_SERVER_LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  CALLDESK_SERVER_POOL_SIZE: z.coerce.number().int().min(1).max(500).optional(),
  CALLDESK_SERVER_LOGIN_MAX: z.coerce.number().int().min(1).optional(),
  CALLDESK_SERVER_HEARTBEAT_MS: z.coerce.number().int().min(100).optional(),
  CALLDESK_ACD_EVAPI: z
    .string()
    .regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port of Kamailio evapi, e.g. 127.0.0.1:8448')
    .optional(),
  CALLDESK_ACD_LEADER_POLL_MS: z.coerce.number().int().min(50).max(60_000).optional(),
});

/**
 * Reads the configuration from environment variables. Without `CALLDESK_SERVER_SECRET` a random
 * secret is made (tokens then die with the process and instances cannot share them: fine for a
 * demo, not for a deployment, and the server says so).
 */
export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): { config: ServerConfig; warnings: string[] } {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid server environment: ${parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join('; ')}`);
  const e = parsed.data;
  const warnings: string[] = [];
  if (!e.CALLDESK_SERVER_SECRET) warnings.push('CALLDESK_SERVER_SECRET is not set: using a random secret (tokens do not survive a restart)');
  if (!e.CALLDESK_MONITOR_KEY) warnings.push('CALLDESK_MONITOR_KEY is not set: monitoring tokens are signed with a random key (desktops need its public key again after a restart)');
  if (!e.DATABASE_URL) warnings.push(`DATABASE_URL is not set: using embedded PostgreSQL (PGlite)${e.CALLDESK_SERVER_DATA_DIR ? ` in ${e.CALLDESK_SERVER_DATA_DIR}` : ' in memory'}`);
  return {
    config: {
      ...DEFAULT_SERVER_CONFIG,
      host: e.CALLDESK_SERVER_HOST ?? DEFAULT_SERVER_CONFIG.host,
      port: e.CALLDESK_SERVER_PORT ?? DEFAULT_SERVER_CONFIG.port,
      databaseUrl: e.DATABASE_URL ?? null,
      dataDir: e.CALLDESK_SERVER_DATA_DIR ?? null,
      tokenSecret: e.CALLDESK_SERVER_SECRET ?? randomBytes(32).toString('base64url'),
      monitorKeyPem: e.CALLDESK_MONITOR_KEY ?? null,
      bodyLimitBytes: e.CALLDESK_SERVER_BODY_LIMIT ?? DEFAULT_SERVER_CONFIG.bodyLimitBytes,
      logLevel: e.CALLDESK_SERVER_LOG_LEVEL ?? DEFAULT_SERVER_CONFIG.logLevel,
      poolSize: e.CALLDESK_SERVER_POOL_SIZE ?? DEFAULT_SERVER_CONFIG.poolSize,
      loginLimit: { ...DEFAULT_SERVER_CONFIG.loginLimit, max: e.CALLDESK_SERVER_LOGIN_MAX ?? DEFAULT_SERVER_CONFIG.loginLimit.max },
      heartbeatMs: e.CALLDESK_SERVER_HEARTBEAT_MS ?? DEFAULT_SERVER_CONFIG.heartbeatMs,
      acdEvapi: e.CALLDESK_ACD_EVAPI ? { host: e.CALLDESK_ACD_EVAPI.split(':')[0]!, port: Number(e.CALLDESK_ACD_EVAPI.split(':')[1]) } : null,
      acdLeaderPollMs: e.CALLDESK_ACD_LEADER_POLL_MS ?? DEFAULT_SERVER_CONFIG.acdLeaderPollMs,
    },
    warnings,
  };
}
