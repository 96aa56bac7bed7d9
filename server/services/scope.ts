import type { VisibilityScope } from '../../shared/sync/protocol';
import type { Queryable } from '../db/db';
import type { Principal } from '../auth/tokens';

/**
 * What one caller may see. Supervisors and admins see everything; an agent sees customers and
 * tickets by the configured scope:
 * - `all`: every record;
 * - `own`: customers they own; tickets assigned to or created by them;
 * - `team`: the same for every member of their team (an agent without a team: `own`).
 * Tasks are personal: an agent sees the tasks assigned to or created by them.
 */
export class Visibility {
  private constructor(
    readonly principal: Principal,
    private readonly customerScope: VisibilityScope,
    private readonly ticketScope: VisibilityScope,
    private readonly team: ReadonlySet<string>,
  ) {}

  /** Builds the visibility of `p` under the given scopes (loads the team's members when needed). */
  static async of(p: Principal, scopes: { customers: VisibilityScope; tickets: VisibilityScope }, q: Queryable): Promise<Visibility> {
    const members = new Set<string>([p.id]);
    if (p.role === 'agent' && p.team !== null && (scopes.customers === 'team' || scopes.tickets === 'team')) {
      const { rows } = await q.query<{ id: string }>('SELECT id FROM users WHERE team = $1', [p.team]);
      for (const r of rows) members.add(r.id);
    }
    return new Visibility(p, scopes.customers, scopes.tickets, members);
  }

  /** Builds a visibility from a preloaded team directory (user id -> team), without a query. */
  static fromDirectory(p: Principal, scopes: { customers: VisibilityScope; tickets: VisibilityScope }, teams: ReadonlyMap<string, string | null>): Visibility {
    const members = new Set<string>([p.id]);
    if (p.role === 'agent' && p.team !== null) for (const [id, team] of teams) if (team === p.team) members.add(id);
    return new Visibility(p, scopes.customers, scopes.tickets, members);
  }

  /** True for supervisors and admins. */
  get seesAll(): boolean {
    return this.principal.role !== 'agent';
  }

  /** May the caller see a customer with this owner? */
  customer(ownerId: string | null): boolean {
    if (this.seesAll) return true;
    return this.allows(this.customerScope, [ownerId]);
  }

  /** May the caller see a ticket with this assignee and creator? */
  ticket(t: { assignee: string | null; createdBy: string }): boolean {
    if (this.seesAll) return true;
    return this.allows(this.ticketScope, [t.assignee, t.createdBy]);
  }

  /** May the caller see a task? */
  task(t: { assignee: string; createdBy: string }): boolean {
    return this.seesAll || t.assignee === this.principal.id || t.createdBy === this.principal.id;
  }

  /**
   * SQL condition (and its parameters, numbered from `first`) restricting a customers query to
   * what the caller sees; `owner` is the owner column expression.
   */
  customerSql(owner: string, first: number): { sql: string; params: unknown[] } {
    if (this.seesAll || this.customerScope === 'all') return { sql: 'true', params: [] };
    return { sql: `${owner} = ANY($${first}::text[])`, params: [this.membersFor(this.customerScope)] };
  }

  /** SQL condition restricting a tickets query (columns `assignee`, `created_by`). */
  ticketSql(first: number): { sql: string; params: unknown[] } {
    if (this.seesAll || this.ticketScope === 'all') return { sql: 'true', params: [] };
    return { sql: `(assignee = ANY($${first}::text[]) OR created_by = ANY($${first}::text[]))`, params: [this.membersFor(this.ticketScope)] };
  }

  private membersFor(scope: VisibilityScope): string[] {
    return scope === 'own' ? [this.principal.id] : [...this.team];
  }

  private allows(scope: VisibilityScope, people: Array<string | null>): boolean {
    switch (scope) {
      case 'all':
        return true;
      case 'own':
        return people.includes(this.principal.id);
      case 'team':
        return people.some((p) => p !== null && this.team.has(p));
    }
  }
}
