import type { PullChange, PullEntity, PullResponse } from '../../shared/sync/protocol';
import type { Db } from '../db/db';
import type { Principal } from '../auth/tokens';
import { latestChangeId } from './changes';
import type { ConfigService } from './configService';
import { Visibility } from './scope';
import { rowToTicket, type TicketRow } from './tickets';
import { toUser, type UserRow } from './users';
import { insightRowToRecord, type InsightRow } from './insight/insightService';

interface ChangedRow {
  entity: PullEntity;
  change_id: number;
  id: string;
  /** Customers and insight: the customer's owner (scope check). */
  owner: string | null;
  /** Everything but customers: the row. */
  row: Record<string, unknown>;
  /** Customers: the finished change as JSON text. */
  wire: string | null;
}

/**
 * Delta pull: every record whose latest change id is above the cursor, oldest change first, one
 * page at a time. Each record appears once with its current state (a record changed ten times since
 * the cursor is sent once). Records outside the caller's scope are sent as `remove` (so a desktop
 * drops a ticket reassigned away from its team) — except on a first sync (cursor 0).
 */
export class PullService {
  constructor(
    private readonly db: Db,
    private readonly config: ConfigService,
  ) {}

  /**
   * One page of changes after `cursor`, as the JSON text of a {@link PullResponse}. Customers (the
   * bulk of a first sync) are serialised by PostgreSQL and passed through untouched: parsing and
   * re-serialising a million records in Node would cost more than the query.
   */
  async pullJson(principal: Principal, cursor: number, limit: number): Promise<string> {
    const latest = await latestChangeId(this.db);
    const vis = await Visibility.of(principal, await this.config.scopes(), this.db);
    // Each branch is an index range scan on change_id; the outer merge takes the first `limit`.
    const { rows } = await this.db.query<ChangedRow>(
      `SELECT * FROM (
         (SELECT 'customer' AS entity, change_id, id::text AS id, owner_id AS owner, NULL::jsonb AS row,
                 json_build_object('changeId', change_id, 'entity', 'customer', 'id', id::text, 'op', 'upsert',
                   'record', record || jsonb_build_object('id', id, 'code', code, 'serverVersion', version, 'revision', 0,
                                                          'createdAt', created_at, 'updatedAt', updated_at))::text AS wire
            FROM customers c WHERE change_id > $1 ORDER BY change_id LIMIT $2)
         UNION ALL
         (SELECT 'ticket', change_id, id, NULL, to_jsonb(t), NULL FROM tickets t WHERE change_id > $1 ORDER BY change_id LIMIT $2)
         UNION ALL
         (SELECT 'task', change_id, id, NULL, to_jsonb(k), NULL FROM tasks k WHERE change_id > $1 ORDER BY change_id LIMIT $2)
         UNION ALL
         (SELECT 'config', change_id, key, NULL, jsonb_build_object('key', key, 'value', value, 'version', version), NULL FROM config WHERE change_id > $1 ORDER BY change_id LIMIT $2)
         UNION ALL
         (SELECT 'user', change_id, id, NULL, jsonb_build_object('id', id, 'display_name', display_name, 'role', role, 'team', team, 'disabled', disabled, 'version', version), NULL
            FROM users WHERE change_id > $1 ORDER BY change_id LIMIT $2)
         UNION ALL
         (SELECT 'insight', i.change_id, i.customer_id::text, c.owner_id, to_jsonb(i), NULL
            FROM customer_insight i JOIN customers c ON c.id = i.customer_id WHERE i.change_id > $1 ORDER BY i.change_id LIMIT $2)
       ) x ORDER BY change_id LIMIT $3`,
      [cursor, limit + 1, limit + 1],
    );
    const hasMore = rows.length > limit;
    const page = hasMore ? rows.slice(0, limit) : rows;
    const parts: string[] = [];
    for (const r of page) {
      if (r.entity === 'customer') {
        if (vis.customer(r.owner)) parts.push(r.wire!);
        else if (cursor !== 0) parts.push(JSON.stringify({ changeId: Number(r.change_id), entity: 'customer', id: r.id, op: 'remove' }));
        continue;
      }
      const change = this.toChange(r, vis, cursor === 0);
      if (change) parts.push(JSON.stringify(change));
    }
    const next = page.length > 0 ? Number(page[page.length - 1]!.change_id) : cursor;
    return `{"changes":[${parts.join(',')}],"cursor":${next},"hasMore":${hasMore},"latest":${Math.max(latest, next)}}`;
  }

  /** One page of changes after `cursor`. */
  async pull(principal: Principal, cursor: number, limit: number): Promise<PullResponse> {
    return JSON.parse(await this.pullJson(principal, cursor, limit)) as PullResponse;
  }

  private toChange(r: ChangedRow, vis: Visibility, firstSync: boolean): PullChange | null {
    const changeId = Number(r.change_id);
    const remove = (id: string): PullChange | null => (firstSync ? null : { changeId, entity: r.entity, id, op: 'remove' });
    switch (r.entity) {
      case 'customer':
        return vis.customer(r.owner) ? (JSON.parse(r.wire ?? 'null') as PullChange) : remove(r.id);
      case 'ticket': {
        const t = rowToTicket(r.row as unknown as TicketRow);
        return vis.ticket(t) ? { changeId, entity: 'ticket', id: t.id, op: 'upsert', record: t } : remove(t.id);
      }
      case 'task': {
        const rec = r.row.record as { id: string; assignee: string; createdBy: string };
        return vis.task(rec) ? { changeId, entity: 'task', id: rec.id, op: 'upsert', record: rec } : remove(rec.id);
      }
      case 'config': {
        const key = String(r.row.key);
        return { changeId, entity: 'config', id: key, op: 'upsert', record: { key, value: r.row.value, version: r.row.version } };
      }
      case 'user': {
        const u = toUser({ ...(r.row as unknown as UserRow), password_hash: '' });
        return { changeId, entity: 'user', id: u.id, op: 'upsert', record: u };
      }
      case 'insight':
        return vis.customer(r.owner) ? { changeId, entity: 'insight', id: r.id, op: 'upsert', record: insightRowToRecord(r.row as unknown as InsightRow) } : remove(r.id);
    }
  }
}
