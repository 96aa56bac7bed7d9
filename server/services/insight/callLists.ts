import { AppError } from '../../../shared/api/result';
import { birthdayStatus, type LocalDate } from '../../../shared/customer/helpers';
import { RESOURCES } from '../../../shared/i18n';
import {
  callListTaskId,
  type CallListKind,
  type CallListPage,
  type CallListQuery,
  type CallListRow,
  type CallListTasksRequest,
  type CallListTasksResult,
} from '../../../shared/insight/callLists';
import { AT_RISK_SEGMENTS, isAtRiskHighValue, isWinBack, overdueScore, winBackCutoff } from '../../../shared/insight/lists';
import type { AbcClass } from '../../../shared/insight/abc';
import type { RfmSegment } from '../../../shared/insight/rfm';
import type { Principal } from '../../auth/tokens';
import type { Db } from '../../db/db';
import { stampChanges, Touched } from '../changes';
import type { ConfigService } from '../configService';
import { Visibility } from '../scope';
import type { InsightService } from './insightService';

const DAY = 86_400_000;
/** Tasks written per INSERT when a list becomes tasks. */
const TASK_BATCH = 1000;

/** A candidate row as read from PostgreSQL (BIGINT and NUMERIC arrive as text). */
interface CandidateRow {
  id: string;
  code: string;
  name: string;
  owner_id: string | null;
  phones: Array<{ raw?: string; e164?: string | null; primary?: boolean }> | null;
  birthday: string | null;
  order_count: number | null;
  total_spend: string | null;
  last_purchase_at: string | null;
  segment: string | null;
  abc: string | null;
  clv: string | null;
  overdue_amount: string | null;
  overdue_since: string | null;
  due_orders: number | null;
  late_orders: number | null;
}

/** A member of a list with the key it is ordered by (ascending). */
interface Member {
  row: CallListRow;
  sort: number;
}

/** The calendar day of `at` in an IANA time zone. */
export function zonedDate(at: number, timeZone: string): LocalDate {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(at));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)!.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `MM-DD` of Monday..Sunday of the week holding `today` (a 29 February birthday counts on 28 February in common years). */
export function weekMonthDays(today: LocalDate): string[][] {
  const todayUtc = Date.UTC(today.year, today.month - 1, today.day);
  const monday = todayUtc - ((new Date(todayUtc).getUTCDay() + 6) % 7) * DAY;
  const out: string[][] = [];
  for (let i = 0; i < 7; i++) {
    const d = new Date(monday + i * DAY);
    const md = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const y = d.getUTCFullYear();
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    out.push(md === '02-28' && !leap ? [md, '02-29'] : [md]);
  }
  return out;
}

function primaryPhone(phones: CandidateRow['phones']): string | null {
  if (!Array.isArray(phones) || phones.length === 0) return null;
  const p = phones.find((x) => x.primary === true) ?? phones[0]!;
  return p.e164 ?? p.raw ?? null;
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/**
 * The lists that drive calls (issue 13 item 5): win-back, birthdays this week (centre time zone),
 * at-risk high value and overdue accounts ranked by the transparent score, each in the caller's
 * customer scope; and each turned into callback tasks for the customers' owners, once per list,
 * customer and centre day. Candidates are narrowed in SQL and then checked and ordered by the rules
 * of shared/insight/lists.ts, so the server and the documentation cannot disagree.
 */
export class CallListService {
  constructor(
    private readonly db: Db,
    private readonly config: ConfigService,
    private readonly insight: InsightService,
    private readonly timeZone: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** One page of a list. */
  async page(p: Principal, kind: CallListKind, q: CallListQuery): Promise<CallListPage> {
    const now = this.now();
    const { members, months } = await this.members(p, kind, q.months, now);
    const start = (q.page - 1) * q.pageSize;
    return { kind, asOf: now, months, total: members.length, page: q.page, pageSize: q.pageSize, rows: members.slice(start, start + q.pageSize).map((m) => m.row) };
  }

  /** Every member of the list becomes a callback task for its owner (once per list, customer and day). */
  async toTasks(p: Principal, kind: CallListKind, months: number | undefined, req: CallListTasksRequest): Promise<CallListTasksResult> {
    if (p.role === 'agent') throw new AppError('FORBIDDEN', 'Only supervisors and admins turn lists into tasks');
    const now = this.now();
    const { members } = await this.members(p, kind, months, now);
    const today = zonedDate(now, this.timeZone);
    const day = `${today.year}-${pad(today.month)}-${pad(today.day)}`;
    const dueAt = req.dueAt ?? now;
    const template = RESOURCES[req.language].customers.insight.listTask[kind];
    const result: CallListTasksResult = { created: 0, existing: 0, withoutOwner: 0, taskIds: [] };
    const records: Array<Record<string, unknown> & { id: string }> = [];
    for (const { row } of members) {
      if (row.ownerId === null) {
        result.withoutOwner++;
        continue;
      }
      const id = callListTaskId(kind, row.customerId, day);
      const title = (req.title ?? template.replace('{{name}}', row.name)).slice(0, 200);
      records.push({
        id, kind: 'callback', title, notes: '', customerId: row.customerId, phone: row.phone, ticketId: null, interactionId: null,
        dueAt, remindAt: dueAt, assignee: row.ownerId, status: 'open', createdBy: p.id, createdAt: now, completedAt: null, version: 1,
      });
    }
    await this.db.transaction(async (tx) => {
      const touched = new Touched();
      for (let i = 0; i < records.length; i += TASK_BATCH) {
        const batch = records.slice(i, i + TASK_BATCH);
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO tasks (id, assignee, status, record, version)
           SELECT r->>'id', r->>'assignee', 'open', r, 1 FROM jsonb_array_elements($1::jsonb) AS r
           ON CONFLICT (id) DO NOTHING RETURNING id`,
          [JSON.stringify(batch)],
        );
        const created = new Set(rows.map((r) => r.id));
        for (const r of batch) if (created.has(r.id)) touched.tasks.add(r.id);
      }
      await stampChanges(tx, touched);
      result.taskIds = records.map((r) => r.id).filter((id) => touched.tasks.has(id));
      result.created = result.taskIds.length;
      result.existing = records.length - result.created;
    });
    return result;
  }

  /** The whole list in its order, in the caller's scope. */
  private async members(p: Principal, kind: CallListKind, monthsAsked: number | undefined, now: number): Promise<{ members: Member[]; months: number | null }> {
    const vis = await Visibility.of(p, await this.config.scopes(), this.db);
    const scope = vis.customerSql('c.owner_id', 1);
    const params: unknown[] = [...scope.params];
    const arg = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    let months: number | null = null;
    let where: string;
    let week: string[][] = [];
    let today: LocalDate | null = null;
    switch (kind) {
      case 'win-back':
        months = monthsAsked ?? (await this.insight.settings()).winBackMonths;
        where = `i.last_purchase_at < ${arg(winBackCutoff(now, months))}`;
        break;
      case 'birthdays':
        today = zonedDate(now, this.timeZone);
        week = weekMonthDays(today);
        where = `right(c.record->>'birthday', 5) = ANY(${arg(week.flat())}::text[])`;
        break;
      case 'at-risk':
        where = `i.abc = 'A' AND i.segment = ANY(${arg([...AT_RISK_SEGMENTS])}::text[])`;
        break;
      case 'overdue':
        where = 'i.overdue_amount > 0 AND i.overdue_since IS NOT NULL';
        break;
    }
    const { rows } = await this.db.query<CandidateRow>(
      `SELECT c.id, c.code, c.name, c.owner_id, c.record->'phones' AS phones, c.record->>'birthday' AS birthday,
              i.order_count, i.total_spend, i.last_purchase_at, i.segment, i.abc, i.clv, i.overdue_amount, i.overdue_since, i.due_orders, i.late_orders
         FROM customers c LEFT JOIN customer_insight i ON i.customer_id = c.id
        WHERE (${scope.sql}) AND ${where}`,
      params,
    );
    const members: Member[] = [];
    for (const r of rows) {
      const base = { customerId: Number(r.id), code: r.code, name: r.name, ownerId: r.owner_id, phone: primaryPhone(r.phones) };
      const last = num(r.last_purchase_at);
      switch (kind) {
        case 'win-back':
          if (!isWinBack(last, now, months!)) continue;
          members.push({ sort: last!, row: { ...base, figures: { lastPurchaseAt: last!, daysDormant: Math.floor((now - last!) / DAY), orderCount: r.order_count ?? 0, totalSpend: Number(r.total_spend ?? 0) } } });
          break;
        case 'birthdays': {
          const when = birthdayStatus(r.birthday, today!);
          if (when === null) continue;
          const weekday = week.findIndex((mds) => mds.includes(r.birthday!.slice(-5)));
          members.push({ sort: weekday, row: { ...base, figures: { birthday: r.birthday!, when, weekday } } });
          break;
        }
        case 'at-risk':
          if (!isAtRiskHighValue(r.segment as RfmSegment | null, r.abc as AbcClass | null)) continue;
          members.push({ sort: -Number(r.total_spend), row: { ...base, figures: { segment: r.segment!, abc: 'A', totalSpend: Number(r.total_spend), clv: num(r.clv), lastPurchaseAt: last } } });
          break;
        case 'overdue': {
          const overdueSince = Number(r.overdue_since);
          const input = { daysOverdue: Math.max(0, Math.floor((now - overdueSince) / DAY)), overdueAmount: Number(r.overdue_amount), dueOrders: r.due_orders ?? 0, lateOrders: r.late_orders ?? 0 };
          const { score, risk } = overdueScore(input);
          members.push({ sort: -score, row: { ...base, figures: { score, ...input, risk, overdueSince } } });
          break;
        }
      }
    }
    members.sort((a, b) => a.sort - b.sort || a.row.customerId - b.row.customerId);
    return { members, months };
  }
}
