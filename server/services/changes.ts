import type { Queryable } from '../db/db';
import type { PullEntity } from '../../shared/sync/protocol';

/** Channel every server instance LISTENs on for fan-out. */
export const EVENTS_CHANNEL = 'calldesk_events';

/** Advisory lock key held from change-id allocation to commit (see {@link stampChanges}). */
const CHANGE_LOCK = 7_246_002;

/** Most ticket ids named in one notification (NOTIFY payloads must stay under 8000 bytes). */
const MAX_NOTIFY_IDS = 100;

/** Records a transaction changed, by entity. Customer ids are numbers; all others strings. */
export class Touched {
  readonly customers = new Set<number>();
  readonly tickets = new Set<string>();
  readonly tasks = new Set<string>();
  readonly config = new Set<string>();
  readonly users = new Set<string>();
  /** Tickets whose assignee changed (assignment notifications). */
  readonly assigned = new Set<string>();

  get empty(): boolean {
    return this.customers.size + this.tickets.size + this.tasks.size + this.config.size + this.users.size === 0;
  }

  entities(): PullEntity[] {
    const out: PullEntity[] = [];
    if (this.customers.size) out.push('customer');
    if (this.tickets.size) out.push('ticket');
    if (this.tasks.size) out.push('task');
    if (this.config.size) out.push('config');
    if (this.users.size) out.push('user');
    return out;
  }
}

/** What instances tell each other after a commit. */
export interface ChangeNotification {
  kind: 'changes';
  latest: number;
  entities: PullEntity[];
  tickets: string[];
  assigned: string[];
  config: string[];
  /** True when more tickets changed than named. */
  truncated: boolean;
}

/**
 * Gives every touched record a new change id and queues the fan-out notification; call it last in
 * a writing transaction. The ids are taken under a transaction-scoped advisory lock that is held
 * until commit, so transactions publish change ids in increasing order: a reader that has seen id
 * N will never later find a newly committed id below N (a pull cursor cannot skip a change).
 * Returns the newest change id (0 when nothing was touched).
 */
export async function stampChanges(tx: Queryable, touched: Touched): Promise<number> {
  if (touched.empty) return 0;
  const tickets = [...touched.tickets];
  const note: Omit<ChangeNotification, 'latest'> = {
    kind: 'changes',
    entities: touched.entities(),
    tickets: tickets.slice(0, MAX_NOTIFY_IDS),
    assigned: [...touched.assigned].slice(0, MAX_NOTIFY_IDS),
    config: [...touched.config],
    truncated: tickets.length > MAX_NOTIFY_IDS,
  };
  // One round trip. Each UPDATE takes the advisory lock in an InitPlan, which runs before the
  // UPDATE produces its first row (and so before its first nextval); the lock is re-entrant.
  const lock = `(SELECT pg_advisory_xact_lock(${CHANGE_LOCK})) IS NOT NULL`;
  const { rows } = await tx.query<{ latest: number }>(
    `WITH
       c AS (UPDATE customers SET change_id = nextval('change_seq') WHERE id = ANY($1::bigint[]) AND ${lock} RETURNING change_id),
       -- A customer's insight follows it (a customer moved into someone's scope brings its insight).
       ci AS (UPDATE customer_insight SET change_id = nextval('change_seq') WHERE customer_id = ANY($1::bigint[]) AND ${lock} RETURNING change_id),
       t AS (UPDATE tickets SET change_id = nextval('change_seq') WHERE id = ANY($2::text[]) AND ${lock} RETURNING change_id),
       k AS (UPDATE tasks SET change_id = nextval('change_seq') WHERE id = ANY($3::text[]) AND ${lock} RETURNING change_id),
       g AS (UPDATE config SET change_id = nextval('change_seq') WHERE key = ANY($4::text[]) AND ${lock} RETURNING change_id),
       u AS (UPDATE users SET change_id = nextval('change_seq') WHERE id = ANY($5::text[]) AND ${lock} RETURNING change_id),
       m AS (SELECT coalesce(max(change_id), 0) AS latest FROM (
               SELECT change_id FROM c UNION ALL SELECT change_id FROM ci UNION ALL SELECT change_id FROM t UNION ALL SELECT change_id FROM k
               UNION ALL SELECT change_id FROM g UNION ALL SELECT change_id FROM u) x)
     SELECT latest, pg_notify($6, jsonb_set($7::jsonb, '{latest}', to_jsonb(latest))::text) FROM m`,
    [[...touched.customers], tickets, [...touched.tasks], [...touched.config], [...touched.users], EVENTS_CHANNEL, JSON.stringify({ ...note, latest: 0 })],
  );
  return Number(rows[0]?.latest ?? 0);
}

/**
 * Takes the change-id lock for a bulk writer that hands out change ids in its own statement (the
 * insight recompute); held until commit, like {@link stampChanges}.
 */
export async function takeChangeLock(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(${CHANGE_LOCK})`);
}

/** The newest change id handed out so far. */
export async function latestChangeId(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ v: number }>('SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS v FROM change_seq');
  return Number(rows[0]?.v ?? 0);
}
