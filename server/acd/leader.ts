import pg from 'pg';
import type { Logger } from '../log';

/** Advisory lock key of the ACD router: exactly one server instance routes at a time. */
export const ACD_ROUTER_LOCK = 7_246_011;

/** Options of {@link RouterLeadership}. */
export interface LeadershipOptions {
  /** PostgreSQL URL; null (embedded PGlite, one process) makes this instance the leader at once. */
  databaseUrl: string | null;
  logger: Logger;
  /** How often a standby tries the lock and the leader checks its lock session. */
  pollMs?: number;
  onLeader(): void | Promise<void>;
  onLost(): void | Promise<void>;
}

/**
 * Leader election by a session-level PostgreSQL advisory lock held on a dedicated connection (not
 * the pool: the lock lives as long as this one session). A standby tries `pg_try_advisory_lock`
 * every `pollMs`; the leader checks its session at the same pace and steps down the moment it is
 * lost (it can no longer prove it is the only router), and then sits out three polls so a standby
 * with a healthy session wins the lock. When the leader's process dies, PostgreSQL
 * ends its session and releases the lock, and a standby takes over at its next try.
 */
export class RouterLeadership {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private leading = false;
  private stopped = false;
  private busy = false;
  /** After losing the lock session, stay out of the race for a while: a healthy standby takes over. */
  private holdOffUntil = 0;

  constructor(private readonly opts: LeadershipOptions) {}

  /** True while this instance holds the lock. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** Starts competing for the lock. */
  async start(): Promise<void> {
    this.stopped = false;
    if (this.opts.databaseUrl === null) {
      this.leading = true;
      await this.opts.onLeader();
      return;
    }
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs ?? 1000);
    this.timer.unref();
  }

  /** Stops competing and releases the lock (by ending the session). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.leading) await this.stepDown('stopping');
    await this.dropClient();
  }

  private async poll(): Promise<void> {
    if (this.busy || this.stopped || Date.now() < this.holdOffUntil) return;
    this.busy = true;
    try {
      if (!this.client) {
        const c = new pg.Client({ connectionString: this.opts.databaseUrl!, keepAlive: true, application_name: 'calldesk-acd-leader' });
        c.on('error', (err) => {
          this.opts.logger.warn('leader lock session failed', { error: err.message });
          void this.lose();
        });
        await c.connect();
        this.client = c;
      }
      if (this.leading) {
        await this.client.query('SELECT 1');
        return;
      }
      const { rows } = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [ACD_ROUTER_LOCK]);
      if (rows[0]?.ok && !this.stopped) {
        this.leading = true;
        this.opts.logger.info('took the ACD router lock: routing');
        await this.opts.onLeader();
      }
    } catch (err) {
      this.opts.logger.warn('leader lock check failed', { error: (err as Error).message });
      await this.lose();
    } finally {
      this.busy = false;
    }
  }

  private async lose(): Promise<void> {
    if (this.leading) {
      this.holdOffUntil = Date.now() + 3 * (this.opts.pollMs ?? 1000);
      await this.stepDown('lock session lost');
    }
    await this.dropClient();
  }

  private async stepDown(why: string): Promise<void> {
    this.leading = false;
    this.opts.logger.warn('no longer the ACD router', { why });
    await this.opts.onLost();
  }

  private async dropClient(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => undefined);
  }
}
