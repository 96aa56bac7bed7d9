import type { z } from 'zod';
import type { SlaRule } from '../../../shared/ticket/ticket';
import type { MutationResult, RejectReason, SyncMutation } from '../../../shared/sync/protocol';
import type { Queryable } from '../../db/db';
import type { Principal } from '../../auth/tokens';
import type { Touched } from '../changes';
import type { Visibility } from '../scope';

/** A mutation's outcome before it is stored. */
export type Outcome = Omit<MutationResult, 'seq' | 'entity' | 'entityId'>;

/** An outcome plus the server version the desktop knew (tickets, tasks; null for the others). */
export interface Applied {
  outcome: Outcome;
  known: number | null;
}

/** One row of a multi-row insert of insert-only entries, with the result it settles. */
export interface PendingInsert {
  result: MutationResult;
  row: unknown[];
}

/** Per-push working state, shared by the apply rules of every entity. */
export interface Run {
  tx: Queryable;
  principal: Principal;
  clientId: string;
  now: number;
  /** Per-mutation savepoints (after a data error in the fast path). */
  careful: boolean;
  touched: Touched;
  /** Desktop version -> server version the desktop knew, for changes made earlier in this batch. */
  known: Map<string, number>;
  /** Insert-only rows gathered for one multi-row INSERT (fast path). */
  interactions: PendingInsert[];
  stateEvents: PendingInsert[];
  /** Desktop (local) customer id -> server id, for customers created earlier in this batch. */
  customerIds: Map<string, number>;
  visibility(): Promise<Visibility>;
  slaRules(): Promise<SlaRule[]>;
}

/** A refusal. */
export const rejected = (reason: RejectReason, message: string): Outcome => ({ status: 'rejected', reason, message });

/** A schema error as one line naming the first fields. */
export function describe(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
    .join('; ');
}

/** The version a desktop's record has after its own change (what later changes name as base). */
export function clientVersionOf(m: SyncMutation): number | null {
  const v = (m.payload as { record?: { version?: unknown } } | null)?.record?.version;
  // Stored in an INTEGER column: anything else (a poisoned 1e308) is not a version to remember.
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2_147_483_647 ? v : null;
}
