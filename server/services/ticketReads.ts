import { AppError } from '../../shared/api/result';
import type { Principal } from '../auth/tokens';
import type { Db } from '../db/db';
import type { ConfigService } from './configService';
import { Visibility } from './scope';
import { rowToTicket, type ServerTicket, type TicketRow } from './tickets';

/** One entry of a ticket's history as `GET /tickets/:id` answers it. */
export interface TicketHistoryRow {
  at: number;
  by: string;
  action: string;
  changes: unknown;
}

/** Ticket reads in the caller's scope (`GET /tickets`, `GET /tickets/:id`). Writes go through push. */
export class TicketReadService {
  constructor(
    private readonly db: Db,
    private readonly config: ConfigService,
  ) {}

  /** One ticket with its history; NOT_FOUND when unknown, FORBIDDEN outside the caller's scope. */
  async get(p: Principal, id: string): Promise<{ ticket: ServerTicket; history: TicketHistoryRow[] }> {
    const { rows } = await this.db.query<TicketRow>('SELECT * FROM tickets WHERE id = $1', [id]);
    const row = rows[0];
    if (!row) throw new AppError('NOT_FOUND', `No ticket ${id}`);
    const t = rowToTicket(row);
    const vis = await Visibility.of(p, await this.config.scopes(), this.db);
    if (!vis.ticket(t)) throw new AppError('FORBIDDEN', 'This ticket is outside your scope');
    const { rows: history } = await this.db.query<TicketHistoryRow>('SELECT at, by, action, changes FROM ticket_history WHERE ticket_id = $1 ORDER BY id', [id]);
    return { ticket: t, history };
  }

  /** The most recently updated tickets the caller may see. */
  async list(p: Principal, limit: number): Promise<ServerTicket[]> {
    const vis = await Visibility.of(p, await this.config.scopes(), this.db);
    const cond = vis.ticketSql(2);
    const { rows } = await this.db.query<TicketRow>(`SELECT * FROM tickets WHERE ${cond.sql} ORDER BY updated_at DESC, id LIMIT $1`, [limit, ...cond.params]);
    return rows.map(rowToTicket);
  }
}
