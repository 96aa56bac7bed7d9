import type { PullChange, PullEntity, PullResponse } from '../../shared/sync/protocol';
import type { Db } from '../db/db';
import type { Principal } from '../auth/tokens';
import { latestChangeId } from './changes';
import type { ConfigService } from './configService';
import { customerRowToRecord, type CustomerRow } from './customers';
import { Visibility } from './scope';
import { rowToTicket, type TicketRow } from './tickets';
import { toUser, type UserRow } from './users';

interface ChangedRow {
  entity: PullEntity;
  change_id: number;
  row: Record<string, unknown>;
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

  /** One page of changes after `cursor`. */
  async pull(principal: Principal, cursor: number, limit: number): Promise<PullResponse> {
    const latest = await latestChangeId(this.db);
    const vis = await Visibility.of(principal, await this.config.scopes(), this.db);
    // Each branch is an index range scan on change_id; the outer merge takes the first `limit`.
    const { rows } = await this.db.query<ChangedRow>(
      `SELECT * FROM (
         (SELECT 'customer' AS entity, change_id, to_jsonb(c) AS row FROM customers c WHERE change_id > $1 ORDER BY change_id LIMIT $2)
         UNION ALL
         (SELECT 'ticket', change_id, to_jsonb(t) FROM tickets t WHERE change_id > $1 ORDER BY change_id LIMIT $2)
         UNION ALL
         (SELECT 'task', change_id, to_jsonb(k) FROM tasks k WHERE change_id > $1 ORDER BY change_id LIMIT $2)
         UNION ALL
         (SELECT 'config', change_id, jsonb_build_object('key', key, 'value', value, 'version', version) FROM config WHERE change_id > $1 ORDER BY change_id LIMIT $2)
         UNION ALL
         (SELECT 'user', change_id, jsonb_build_object('id', id, 'display_name', display_name, 'role', role, 'team', team, 'disabled', disabled, 'version', version)
            FROM users WHERE change_id > $1 ORDER BY change_id LIMIT $2)
       ) x ORDER BY change_id LIMIT $3`,
      [cursor, limit + 1, limit + 1],
    );
    const hasMore = rows.length > limit;
    const page = hasMore ? rows.slice(0, limit) : rows;
    const changes: PullChange[] = [];
    for (const r of page) {
      const change = this.toChange(r, vis, cursor === 0);
      if (change) changes.push(change);
    }
    const next = page.length > 0 ? Number(page[page.length - 1]!.change_id) : cursor;
    return { changes, cursor: next, hasMore, latest: Math.max(latest, next) };
  }

  private toChange(r: ChangedRow, vis: Visibility, firstSync: boolean): PullChange | null {
    const changeId = Number(r.change_id);
    const remove = (id: string): PullChange | null => (firstSync ? null : { changeId, entity: r.entity, id, op: 'remove' });
    switch (r.entity) {
      case 'customer': {
        const c = customerRowToRecord(r.row as unknown as CustomerRow);
        return vis.customer(c.ownerId) ? { changeId, entity: 'customer', id: String(c.id), op: 'upsert', record: c } : remove(String(c.id));
      }
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
    }
  }
}
