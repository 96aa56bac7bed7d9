import { z } from 'zod';
import { epochMsSchema } from '../sync/safeValues';

/**
 * The lists that drive calls, as the server serves them (`GET /insight/lists/:kind`) and turns them
 * into follow-up tasks (`POST /insight/lists/:kind/tasks`). The membership rules are in ./lists.ts.
 */

/** The list kinds. */
export const CALL_LIST_KINDS = ['win-back', 'birthdays', 'at-risk', 'overdue'] as const;
/** A list kind. */
export type CallListKind = (typeof CALL_LIST_KINDS)[number];

/** Largest page of a list. */
export const CALL_LIST_MAX_PAGE_SIZE = 200;

/** Schema of the list's path parameter. */
export const callListParamsSchema = z.object({ kind: z.enum(CALL_LIST_KINDS) }).strict();

/** Filters shared by reading a list and turning it into tasks (query string). */
export const callListFilterSchema = z
  .object({
    /** Win-back only: months without a purchase (default: the insight settings' `winBackMonths`). */
    months: z
      .string()
      .regex(/^\d{1,4}$/, 'must be a whole number of months')
      .transform(Number)
      .pipe(z.number().int().min(1).max(1200))
      .optional(),
  })
  .strict();

/** Query of `GET /insight/lists/:kind`: the filters plus the page (1-based). */
export const callListQuerySchema = callListFilterSchema
  .extend({
    page: z.string().regex(/^\d{1,6}$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1)).default(1),
    pageSize: z
      .string()
      .regex(/^\d{1,3}$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(1).max(CALL_LIST_MAX_PAGE_SIZE))
      .default(50),
  })
  .strict();
/** A list request. */
export type CallListQuery = z.output<typeof callListQuerySchema>;

/** Body of `POST /insight/lists/:kind/tasks`. */
export const callListTasksSchema = z
  .object({
    /** Plain title for every task; default: the list's title in `language` with the customer's name. */
    title: z.string().trim().min(1).max(200).optional(),
    language: z.enum(['zh-CN', 'en-US']).default('zh-CN'),
    /** Default: the moment of the request. The reminder fires at the due time. */
    dueAt: epochMsSchema.optional(),
  })
  .strict();
/** A request to turn a list into tasks. */
export type CallListTasksRequest = z.output<typeof callListTasksSchema>;

/** Figures that put a customer on the win-back list. */
export interface WinBackFigures {
  lastPurchaseAt: number;
  daysDormant: number;
  orderCount: number;
  totalSpend: number;
}
/** Figures that put a customer on the birthdays list. */
export interface BirthdayFigures {
  birthday: string;
  when: 'today' | 'this-week';
  /** 0 = Monday ... 6 = Sunday of the current week (the list's order). */
  weekday: number;
}
/** Figures that put a customer on the at-risk high value list. */
export interface AtRiskFigures {
  segment: string;
  abc: 'A';
  totalSpend: number;
  clv: number | null;
  lastPurchaseAt: number | null;
}
/** The overdue score and its parts (score = daysOverdue x overdueAmount x risk). */
export interface OverdueFigures {
  score: number;
  daysOverdue: number;
  overdueAmount: number;
  risk: number;
  dueOrders: number;
  lateOrders: number;
  overdueSince: number;
}

/** One row of a list. `customerId` is the server's id. */
export interface CallListRow<F = WinBackFigures | BirthdayFigures | AtRiskFigures | OverdueFigures> {
  customerId: number;
  code: string;
  name: string;
  ownerId: string | null;
  /** The primary phone (E.164 when readable, else as entered); null when the customer has none. */
  phone: string | null;
  figures: F;
}

/** A page of a list. */
export interface CallListPage {
  kind: CallListKind;
  /** When the list was computed (epoch ms). */
  asOf: number;
  /** Win-back only: the months used. */
  months: number | null;
  total: number;
  page: number;
  pageSize: number;
  rows: CallListRow[];
}

/** What turning a list into tasks did. */
export interface CallListTasksResult {
  /** Tasks created now. */
  created: number;
  /** Customers that already had this list's task today (nothing created). */
  existing: number;
  /** Customers without an owner (no one to give the task to). */
  withoutOwner: number;
  taskIds: string[];
}

/** The id of a list's task: one per (list kind, customer, centre day `YYYY-MM-DD`). */
export function callListTaskId(kind: CallListKind, customerId: number, day: string): string {
  return `list-${kind}-${customerId}-${day}`;
}
