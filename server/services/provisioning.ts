import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { AppError } from '../../shared/api/result';
import {
  SIP_ACCOUNT_CSV_COLUMNS,
  SIP_ACCOUNT_CSV_REQUIRED,
  sipAccountInputSchema,
  type Provisioning,
  type SipAccountImportReport,
  type SipAccountInput,
  type SipAccountSummary,
} from '../../shared/sync/provisioning';
import { ACD_CHANNEL } from '../acd/queueService';
import type { Db, Queryable } from '../db/db';
import { stampChanges, Touched } from './changes';

interface SipAccountRow {
  user_id: string;
  uri: string;
  server: string;
  auth_user: string;
  password: string;
  display_name: string;
  updated_at: string | number;
}

/** One queue membership as the CSV's `queues` cell gives it (`sales:8`). */
interface Membership {
  queueId: string;
  skill: number;
}

const queuesCell = z
  .string()
  .transform((s) => s.split(/[;,]/).map((x) => x.trim()).filter(Boolean))
  .transform((items, ctx): Membership[] => {
    const out: Membership[] = [];
    for (const item of items) {
      const m = /^([^:\s]+)(?::(\d{1,2}))?$/.exec(item);
      const skill = m?.[2] === undefined ? 5 : Number(m[2]);
      if (!m || skill < 1 || skill > 10) {
        ctx.addIssue({ code: 'custom', message: `"${item}" must look like queue or queue:skill (skill 1..10)` });
        return z.NEVER;
      }
      out.push({ queueId: m[1]!, skill });
    }
    return out;
  });

/** The SIP user part of an address of record (`sip:1001@pbx` -> `1001`). */
function userPart(uri: string): string {
  return uri.replace(/^sips?:/i, '').split('@')[0]!;
}

/**
 * Server-side provisioning (issue 14): SIP accounts assigned by an admin, one at a time or in bulk
 * from CSV (with team and queue memberships), and what a user's desktop receives at sign-in.
 * Assigning an account also makes its SIP user the agent's extension, so the ACD router rings it.
 */
export class ProvisioningService {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Assigns (or replaces) the SIP account of `userId`; NOT_FOUND for an unknown user. */
  async assign(userId: string, input: SipAccountInput): Promise<SipAccountSummary> {
    const a = sipAccountInputSchema.parse(input);
    return this.db.transaction(async (tx) => {
      await this.requireUser(tx, userId);
      return this.write(tx, userId, a);
    });
  }

  /** Removes the SIP account of `userId` (the desktop keeps nothing it cannot use: it is cleared at the next sign-in). */
  async remove(userId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query('DELETE FROM sip_accounts WHERE user_id = $1', [userId]);
      if (rowCount === 0) throw new AppError('NOT_FOUND', `No SIP account is assigned to "${userId}"`);
      await tx.query('DELETE FROM agent_extensions WHERE agent_id = $1', [userId]);
      await tx.query('SELECT pg_notify($1, $2)', [ACD_CHANNEL, 'queues']);
    });
  }

  /** Every assigned account, without passwords. */
  async list(): Promise<SipAccountSummary[]> {
    const { rows } = await this.db.query<SipAccountRow>('SELECT * FROM sip_accounts ORDER BY user_id');
    return rows.map(toSummary);
  }

  /** What the desktop of `userId` is given at sign-in: their SIP account (with password), team and queues. */
  async forUser(userId: string): Promise<Provisioning> {
    const { rows: users } = await this.db.query<{ team: string | null }>('SELECT team FROM users WHERE id = $1', [userId]);
    if (!users[0]) throw new AppError('NOT_FOUND', 'Your user no longer exists');
    const { rows } = await this.db.query<SipAccountRow>('SELECT * FROM sip_accounts WHERE user_id = $1', [userId]);
    const { rows: queues } = await this.db.query<{ id: string; name: string; skill: number }>(
      'SELECT q.id, q.name, m.skill FROM queue_members m JOIN queues q ON q.id = m.queue_id WHERE m.agent_id = $1 ORDER BY q.id',
      [userId],
    );
    const r = rows[0];
    return {
      sip: r ? { uri: r.uri, server: r.server, authUser: r.auth_user, password: r.password, displayName: r.display_name } : null,
      team: users[0].team,
      queues: queues.map((q) => ({ id: q.id, name: q.name, skill: Number(q.skill) })),
    };
  }

  /**
   * Bulk assignment from CSV (columns: {@link SIP_ACCOUNT_CSV_COLUMNS}). Each row is applied in its
   * own transaction: a bad row (unknown user or queue, invalid address) is refused with its line
   * and reason and the others are applied. A file without the required columns is refused whole.
   */
  async importCsv(csv: string): Promise<SipAccountImportReport> {
    let table: string[][];
    try {
      table = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true }) as string[][];
    } catch (err) {
      throw new AppError('INVALID_PAYLOAD', `The file is not valid CSV: ${(err as Error).message}`);
    }
    const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
    const unknown = header.filter((h) => !(SIP_ACCOUNT_CSV_COLUMNS as readonly string[]).includes(h));
    const missing = SIP_ACCOUNT_CSV_REQUIRED.filter((c) => !header.includes(c));
    if (unknown.length > 0 || missing.length > 0) {
      const parts = [missing.length > 0 ? `missing column(s) ${missing.join(', ')}` : '', unknown.length > 0 ? `unknown column(s) ${unknown.join(', ')}` : ''].filter(Boolean);
      throw new AppError('INVALID_PAYLOAD', `The header row must name the columns ${SIP_ACCOUNT_CSV_COLUMNS.join(', ')}: ${parts.join('; ')}`);
    }
    const report: SipAccountImportReport = { assigned: 0, rejected: [] };
    for (let i = 1; i < table.length; i++) {
      const cell = (name: string) => (table[i]![header.indexOf(name)] ?? '').trim();
      const user = cell('user');
      try {
        const account = sipAccountInputSchema.parse({
          uri: cell('sip_uri'),
          server: cell('sip_server'),
          authUser: cell('auth_user'),
          // Passwords are taken as written (a leading or trailing space may be part of one).
          password: table[i]![header.indexOf('sip_password')] ?? '',
          displayName: cell('display_name'),
        });
        const queues = cell('queues') === '' ? null : queuesCell.parse(cell('queues'));
        const team = cell('team');
        await this.db.transaction(async (tx) => {
          await this.requireUser(tx, user);
          await this.write(tx, user, account);
          if (team !== '') await this.setTeam(tx, user, team);
          if (queues) await this.setQueues(tx, user, queues);
        });
        report.assigned += 1;
      } catch (err) {
        const reason = err instanceof z.ZodError ? err.issues.map((x) => `${x.path.join('.') || 'queues'}: ${x.message}`).join('; ') : (err as Error).message;
        report.rejected.push({ line: i + 1, user, reason });
      }
    }
    return report;
  }

  private async requireUser(tx: Queryable, userId: string): Promise<void> {
    const { rows } = await tx.query('SELECT 1 FROM users WHERE id = $1', [userId]);
    if (rows.length === 0) throw new AppError('NOT_FOUND', `No user "${userId}"`);
  }

  private async write(tx: Queryable, userId: string, a: z.output<typeof sipAccountInputSchema>): Promise<SipAccountSummary> {
    const { rows } = await tx.query<SipAccountRow>(
      `INSERT INTO sip_accounts (user_id, uri, server, auth_user, password, display_name, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (user_id) DO UPDATE SET uri = EXCLUDED.uri, server = EXCLUDED.server, auth_user = EXCLUDED.auth_user,
         password = EXCLUDED.password, display_name = EXCLUDED.display_name, updated_at = EXCLUDED.updated_at
       RETURNING *`,
      [userId, a.uri, a.server, a.authUser, a.password, a.displayName, this.now()],
    );
    // The router rings an agent at their SIP user: the provisioned account is where they are.
    const ext = userPart(a.uri);
    if (ext === userId) await tx.query('DELETE FROM agent_extensions WHERE agent_id = $1', [userId]);
    else await tx.query('INSERT INTO agent_extensions (agent_id, extension) VALUES ($1, $2) ON CONFLICT (agent_id) DO UPDATE SET extension = EXCLUDED.extension', [userId, ext]);
    await tx.query('SELECT pg_notify($1, $2)', [ACD_CHANNEL, 'queues']);
    return toSummary(rows[0]!);
  }

  private async setTeam(tx: Queryable, userId: string, team: string): Promise<void> {
    await tx.query('UPDATE users SET team = $2, version = version + 1, updated_at = $3 WHERE id = $1 AND team IS DISTINCT FROM $2', [userId, team, this.now()]);
    const touched = new Touched();
    touched.users.add(userId);
    await stampChanges(tx, touched);
  }

  private async setQueues(tx: Queryable, userId: string, queues: Membership[]): Promise<void> {
    const ids = queues.map((q) => q.queueId);
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM queues WHERE id = ANY($1::text[])', [ids]);
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length > 0) throw new AppError('NOT_FOUND', `No queue ${missing.map((m) => `"${m}"`).join(', ')}`);
    await tx.query('DELETE FROM queue_members WHERE agent_id = $1', [userId]);
    for (const q of queues) await tx.query('INSERT INTO queue_members (queue_id, agent_id, skill) VALUES ($1, $2, $3) ON CONFLICT (queue_id, agent_id) DO UPDATE SET skill = EXCLUDED.skill', [q.queueId, userId, q.skill]);
  }
}

function toSummary(r: SipAccountRow): SipAccountSummary {
  return { userId: r.user_id, uri: r.uri, server: r.server, authUser: r.auth_user, displayName: r.display_name, updatedAt: Number(r.updated_at) };
}
