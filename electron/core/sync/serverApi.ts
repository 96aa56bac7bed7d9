import { z } from 'zod';
import { myQueueSchema, type MyQueue } from '../../../shared/acd/agentQueues';
import { AppError } from '../../../shared/api/result';
import {
  pullResponseSchema,
  pushResponseSchema,
  tokenResponseSchema,
  type PullResponse,
  type PushResponse,
  type SyncMutation,
  type TokenResponse,
} from '../../../shared/sync/protocol';
import { provisioningSchema, type Provisioning } from '../../../shared/sync/provisioning';

/** Tokens of a signed-in session. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
}

/** Options of {@link ServerApi}. */
export interface ServerApiOptions {
  /** Base URL, e.g. `https://calldesk.example.com`. */
  baseUrl: string;
  /** Tokens from an earlier sign-in (the refresh token is kept in the OS keychain by the caller). */
  tokens?: SessionTokens | null;
  /** Called with new tokens after sign-in and every refresh (persist the refresh token). */
  onTokens?: (tokens: SessionTokens | null) => void;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * HTTP client of the central server: sign-in, token refresh, push and pull. Failures become
 * AppErrors: `DISCONNECTED` (network, timeout, 5xx: try again later), `UNAUTHORIZED` (sign in
 * again), `PAYLOAD_TOO_LARGE` (send less), `CLIENT_ID_TAKEN` (push under a new client id),
 * `INVALID_PAYLOAD` (a bug: do not retry blindly).
 * An expired access token is refreshed once, transparently.
 */
export class ServerApi {
  private tokens: SessionTokens | null;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: ServerApiOptions) {
    this.tokens = opts.tokens ?? null;
    this.fetchImpl = opts.fetch ?? fetch;
  }

  /** True when a session exists (it may still be refused). */
  get signedIn(): boolean {
    return this.tokens !== null;
  }

  /** The current access token (for the real-time channel). */
  get accessToken(): string | null {
    return this.tokens?.accessToken ?? null;
  }

  /** The base URL. */
  get baseUrl(): string {
    return this.opts.baseUrl.replace(/\/+$/, '');
  }

  /** Signs in with a user name and password. */
  async login(username: string, password: string): Promise<TokenResponse> {
    const res = tokenResponseSchema.parse(await this.request('POST', '/auth/login', { username, password }, false));
    this.setTokens({ accessToken: res.accessToken, refreshToken: res.refreshToken });
    return res;
  }

  /** Forgets the session (and revokes it on the server when reachable). */
  async logout(): Promise<void> {
    const t = this.tokens;
    this.setTokens(null);
    if (t) await this.request('POST', '/auth/logout', { refreshToken: t.refreshToken }, false).catch(() => undefined);
  }

  /** Pushes outbox entries. */
  async push(clientId: string, mutations: SyncMutation[]): Promise<PushResponse> {
    return pushResponseSchema.parse(await this.request('POST', '/sync/push', { clientId, mutations }));
  }

  /** Pulls one page of changes after `cursor`. */
  async pull(cursor: number, limit = 1000): Promise<PullResponse> {
    return pullResponseSchema.parse(await this.request('GET', `/sync/pull?cursor=${cursor}&limit=${limit}`));
  }

  /** The signed-in user's provisioning: SIP account (with its password), team and queues. */
  async provisioning(): Promise<Provisioning> {
    return provisioningSchema.parse(await this.request('GET', '/me/provisioning'));
  }

  /** Asks for a monitoring token for one agent's call (supervisor, admin; FORBIDDEN out of scope: docs/monitoring.md). */
  async monitoringToken(agent: string, call: string): Promise<string> {
    const res = (await this.request('POST', '/monitoring/token', { agent, call })) as { token?: unknown } | null;
    if (typeof res?.token !== 'string') throw new AppError('UNAVAILABLE', 'The server answered without a monitoring token');
    return res.token;
  }

  /**
   * Gets a new access token with the refresh token; UNAUTHORIZED when the session is over. One
   * refresh at a time: requests that meet an expired token together (sync, the agent's queues)
   * share it instead of spending the same refresh token twice.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private refreshing: Promise<void> | null = null;

  private async refreshOnce(): Promise<void> {
    const t = this.tokens;
    if (!t) throw new AppError('UNAUTHORIZED', 'Not signed in to the server');
    try {
      const res = tokenResponseSchema.parse(await this.request('POST', '/auth/refresh', { refreshToken: t.refreshToken }, false));
      this.setTokens({ accessToken: res.accessToken, refreshToken: res.refreshToken });
    } catch (err) {
      if (err instanceof AppError && err.code === 'UNAUTHORIZED') this.setTokens(null);
      throw err;
    }
  }

  private setTokens(t: SessionTokens | null): void {
    this.tokens = t;
    this.opts.onTokens?.(t);
  }

  /** A signed-in GET of a read route (supervisor views); the answer is checked by the caller. */
  async get(path: string): Promise<unknown> {
    return this.request('GET', path);
  }

  /** The signed-in user's queues and whether they are logged in to each. */
  async myQueues(): Promise<MyQueue[]> {
    return z.array(myQueueSchema).parse(await this.request('GET', '/acd/my-queues'));
  }

  /** Logs the signed-in user in to or out of one of their queues; answers their queues after it. */
  async setQueueLogin(queueId: string, loggedIn: boolean): Promise<MyQueue[]> {
    return z.array(myQueueSchema).parse(await this.request('PUT', `/acd/my-queues/${encodeURIComponent(queueId)}`, { loggedIn }));
  }

  private async request(method: string, path: string, body?: unknown, auth = true): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      if (auth && !this.tokens) throw new AppError('UNAUTHORIZED', 'Not signed in to the server');
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (auth && this.tokens) headers.authorization = `Bearer ${this.tokens.accessToken}`;
      let res: Response;
      try {
        res = await this.fetchImpl(this.baseUrl + path, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
        });
      } catch (err) {
        throw new AppError('DISCONNECTED', `The server cannot be reached: ${(err as Error).message}`);
      }
      const text = await res.text().catch(() => '');
      if (res.ok) return text === '' ? null : (JSON.parse(text) as unknown);
      const error = readError(text);
      const message = error?.message ?? `HTTP ${res.status}`;
      if (res.status === 401 && auth && attempt === 0) {
        await this.refresh();
        continue;
      }
      if (res.status === 401) throw new AppError('UNAUTHORIZED', message);
      if (res.status === 403) throw new AppError('FORBIDDEN', message);
      if (res.status === 404) throw new AppError('NOT_FOUND', message);
      if (res.status === 409 && error?.code === 'CLIENT_ID_TAKEN') throw new AppError('CLIENT_ID_TAKEN', message, error.details);
      if (res.status === 413) throw new AppError('PAYLOAD_TOO_LARGE', message);
      if (res.status === 429) throw new AppError('RATE_LIMITED', message);
      if (res.status >= 500) throw new AppError('DISCONNECTED', `The server failed: ${message}`);
      throw new AppError('INVALID_PAYLOAD', message);
    }
  }
}

function readError(text: string): { message: string; code: unknown; details: unknown } | null {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown; code?: unknown; details?: unknown } };
    return typeof body.error?.message === 'string' ? { message: body.error.message, code: body.error.code, details: body.error.details } : null;
  } catch {
    return null;
  }
}
