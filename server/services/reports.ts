import type { Db } from '../db/db';

/** Stored event reads for supervisors (`GET /reports/*`). */
export class ReportService {
  constructor(private readonly db: Db) {}

  /** Agent state events at or after `since` (epoch ms), oldest first. */
  async agentEvents(since: number, limit: number): Promise<unknown[]> {
    const { rows } = await this.db.query<{ record: unknown }>('SELECT record FROM agent_state_events WHERE at >= $1 ORDER BY at, id LIMIT $2', [since, limit]);
    return rows.map((r) => r.record);
  }

  /** Call events at or after `since` (epoch ms), oldest first, each with the user who sent it. */
  async callEvents(since: number, limit: number): Promise<Array<Record<string, unknown> & { userId: string }>> {
    const { rows } = await this.db.query<{ user_id: string; record: unknown }>('SELECT user_id, record FROM call_events WHERE at >= $1 ORDER BY at, id LIMIT $2', [since, limit]);
    return rows.map((r) => ({ userId: r.user_id, ...(r.record as object) }));
  }
}
