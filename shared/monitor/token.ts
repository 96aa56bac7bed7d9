import { z } from 'zod';

/**
 * Listen / whisper / barge (issue 12 item 4, docs/monitoring.md).
 *
 * Who hears whom, decided by the agent's desktop, which mixes the audio:
 *
 * ```
 *   mode     | supervisor hears   | agent hears          | customer hears
 *   listen   | customer + agent   | customer             | agent
 *   whisper  | customer + agent   | customer + superv.   | agent
 *   barge    | customer + agent   | customer + superv.   | agent + supervisor
 * ```
 */
export const MONITOR_MODES = ['listen', 'whisper', 'barge'] as const;
/** One monitoring mode. */
export type MonitorMode = (typeof MONITOR_MODES)[number];
/** Schema of a monitoring mode. */
export const monitorModeSchema = z.enum(MONITOR_MODES);

/** SIP header carrying the server-signed monitoring token on the supervisor's INVITE. */
export const MONITOR_TOKEN_HEADER = 'X-CallDesk-Monitor';
/** SIP header naming the mode a monitoring session starts in (`listen` when absent or unknown). */
export const MONITOR_MODE_HEADER = 'X-CallDesk-Monitor-Mode';
/** Content type of the in-dialog INFO that switches the mode of a monitoring session. */
export const MONITOR_MODE_CONTENT_TYPE = 'application/x-calldesk-monitor-mode';
/** How long a token the server signs stays valid (seconds): enough to place the call, no more. */
export const MONITOR_TOKEN_TTL_SECONDS = 60;
/** Clock difference between the server and a desktop that is tolerated on `iat` (seconds). */
export const MONITOR_CLOCK_SKEW_SECONDS = 30;

/**
 * Claims of a monitoring token. The server signs them only when the supervisor's scope (team, or
 * admin: all) covers the agent, so a valid signature over `agent` IS the scope decision; the
 * agent's core checks the rest (expiry, that it is the named agent, the named live call, no replay).
 */
export const monitorClaimsSchema = z.object({
  v: z.literal(1),
  /** Unique id of this token (replays are refused). */
  jti: z.string().min(8).max(100),
  /** The supervisor's user id on the server. */
  sup: z.string().min(1).max(100),
  /** The monitored agent's user id on the server. */
  agent: z.string().min(1).max(100),
  /** The agent's call (the desktop's call id, as the real-time feed reports it). */
  call: z.string().min(1).max(100),
  /** Issued at / expires at (seconds since the epoch, server clock). */
  iat: z.number().int().nonnegative(),
  exp: z.number().int().nonnegative(),
});
/** Claims of a monitoring token. */
export type MonitorClaims = z.infer<typeof monitorClaimsSchema>;

/** Why a monitoring request was refused. */
export const MONITOR_REFUSALS = ['malformed', 'no-key', 'bad-signature', 'expired', 'not-yet-valid', 'other-agent', 'no-such-call', 'replayed'] as const;
/** Why a monitoring request was refused. */
export type MonitorRefusal = (typeof MONITOR_REFUSALS)[number];

/** What the agent's desktop knows when it checks the claims of a verified token. */
export interface MonitorClaimContext {
  /** Now (ms since the epoch). */
  now: number;
  /** This desktop's agent id. */
  agentId: string;
  /** Whether this desktop has this call live (established). */
  hasLiveCall(callId: string): boolean;
  /** Whether this token id was already used. */
  seen(jti: string): boolean;
}

/**
 * Checks the claims of a token whose signature is already verified. Returns null when the request
 * may proceed, else the refusal. Order matters for the log: expiry before identity.
 */
export function checkMonitorClaims(claims: MonitorClaims, ctx: MonitorClaimContext): MonitorRefusal | null {
  const nowS = Math.floor(ctx.now / 1000);
  if (claims.exp <= nowS || claims.exp - claims.iat > MONITOR_TOKEN_TTL_SECONDS * 2) return 'expired';
  if (claims.iat > nowS + MONITOR_CLOCK_SKEW_SECONDS) return 'not-yet-valid';
  if (claims.agent !== ctx.agentId) return 'other-agent';
  if (!ctx.hasLiveCall(claims.call)) return 'no-such-call';
  if (ctx.seen(claims.jti)) return 'replayed';
  return null;
}

/**
 * The token's wire form is `v1.<claims>.<signature>`, both parts base64url: the claims are JSON,
 * the signature is Ed25519 over the ASCII bytes of `v1.<claims>`. Splits a token into its parts
 * (the base64url decoding and the signature check are the hosts' job: they have Node's crypto).
 */
export function splitMonitorToken(token: string): { signed: string; claims: string; signature: string } | null {
  const m = /^v1\.([A-Za-z0-9_-]{10,2000})\.([A-Za-z0-9_-]{20,200})$/.exec(token.trim());
  if (!m) return null;
  return { signed: `v1.${m[1]!}`, claims: m[1]!, signature: m[2]! };
}
