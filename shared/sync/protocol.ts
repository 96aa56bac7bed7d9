import { z } from 'zod';
import { queueStatsSchema } from '../acd/agentQueues';
import { agentStateEventSchema } from '../agent/state';
import { OUTBOX_ENTITIES, OUTBOX_OPERATIONS } from './outbox';

/**
 * The wire protocol between desktops and the central server: sign-in, outbox push, delta pull and
 * the real-time channel. A push carries outbox entries exactly as the desktop outbox stores them
 * (`shared/sync/outbox.ts`); the server applies each (client id, seq) exactly once.
 */

/** User roles. */
export const USER_ROLES = ['agent', 'supervisor', 'admin'] as const;
/** A user role. */
export type UserRole = (typeof USER_ROLES)[number];

/** Which customers and tickets an agent may see: every one, their own, or their team's. */
export const VISIBILITY_SCOPES = ['all', 'own', 'team'] as const;
/** A visibility scope. */
export type VisibilityScope = (typeof VISIBILITY_SCOPES)[number];

/** A user id (sign-in name). */
export const userIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]*$/, 'may contain only letters, digits, "_", ".", "@" and "-"');

/** A user as desktops and admins see it (never the password hash). */
export const userSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  role: z.enum(USER_ROLES),
  team: z.string().nullable(),
  disabled: z.boolean(),
  version: z.number().int(),
});
/** A user. */
export type User = z.infer<typeof userSchema>;

/** Schema of `POST /auth/login`. */
export const loginRequestSchema = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) });
/** Schema of `POST /auth/refresh` and `POST /auth/logout`. */
export const refreshRequestSchema = z.object({ refreshToken: z.string().min(10).max(200) });
/** Answer of sign-in and refresh: a short-lived access token and a single-use refresh token. */
export const tokenResponseSchema = z.object({
  accessToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  refreshToken: z.string(),
  user: userSchema,
});
/** Tokens. */
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** Most mutations in one push. */
export const MAX_PUSH_MUTATIONS = 500;

/** One mutation as pushed: an outbox entry (its `sentAt` is local and not sent). */
export const syncMutationSchema = z.object({
  clientId: z.string().min(1).max(100),
  seq: z.number().int().positive(),
  entity: z.enum(OUTBOX_ENTITIES),
  entityId: z.string().min(1).max(100),
  operation: z.enum(OUTBOX_OPERATIONS),
  /** The record version the change was made on; null for a create. */
  baseVersion: z.number().int().nullable(),
  payload: z.unknown(),
  createdAt: z.number(),
});
/** One pushed mutation. */
export type SyncMutation = z.infer<typeof syncMutationSchema>;

/** Schema of `POST /sync/push`. Every mutation must carry `clientId`. */
export const pushRequestSchema = z
  .object({ clientId: z.string().min(1).max(100), mutations: z.array(syncMutationSchema).max(MAX_PUSH_MUTATIONS) })
  .refine((r) => r.mutations.every((m) => m.clientId === r.clientId), 'every mutation must carry the batch clientId');
/** A push. */
export type PushRequest = z.infer<typeof pushRequestSchema>;

/**
 * Details of a push refused with `CLIENT_ID_TAKEN` (HTTP 409): the client id belongs to another
 * user (`other-user`), or another desktop already pushed different changes under it (a copied
 * profile: `other-desktop`, from sequence `divergedAt` on; the earlier ones are the same changes
 * and are on the server). The desktop takes a new client id and pushes its unsent changes again.
 */
export const clientIdTakenDetailsSchema = z.object({
  reason: z.enum(['other-user', 'other-desktop']),
  divergedAt: z.number().int().positive().optional(),
});
/** Details of `CLIENT_ID_TAKEN`. */
export type ClientIdTakenDetails = z.infer<typeof clientIdTakenDetailsSchema>;

/**
 * What happened to one mutation:
 * - `applied`: the change is in; `record` is the server record after it.
 * - `conflict`: someone else changed the same thing first; the server's rule decided (see
 *   `fields`) and `record` is the server record the desktop must adopt. Final, like `applied`.
 * - `rejected`: refused for good (`reason`); the sequence number is consumed.
 * - `retry`: not applied because an earlier sequence number is missing (a delivery was lost or
 *   reordered); push again from `highWater + 1`.
 */
export const MUTATION_STATUSES = ['applied', 'conflict', 'rejected', 'retry'] as const;
/** A mutation status. */
export type MutationStatus = (typeof MUTATION_STATUSES)[number];

/** Machine-readable reasons of `rejected` and `retry`. */
export const REJECT_REASONS = ['invalid', 'forbidden', 'not-found', 'insert-only', 'exists', 'illegal-transition', 'unsupported', 'gap'] as const;
/** A reject reason. */
export type RejectReason = (typeof REJECT_REASONS)[number];

/** The result of one mutation. A replayed sequence number answers its original result with `duplicate: true`. */
export const mutationResultSchema = z.object({
  seq: z.number().int(),
  entity: z.enum(OUTBOX_ENTITIES),
  entityId: z.string(),
  status: z.enum(MUTATION_STATUSES),
  /** Server version of the record after this mutation. */
  version: z.number().int().optional(),
  /** The server record after this mutation (tickets, tasks). */
  record: z.unknown().optional(),
  /** Fields the server decided differently from what the desktop asked (conflict). */
  fields: z.array(z.string()).optional(),
  reason: z.enum(REJECT_REASONS).optional(),
  message: z.string().optional(),
  duplicate: z.boolean().optional(),
});
/** The result of one mutation. */
export type MutationResult = z.infer<typeof mutationResultSchema>;

/** Answer of `POST /sync/push`: one result per mutation, in seq order, and the client's high-water mark. */
export const pushResponseSchema = z.object({
  clientId: z.string(),
  /** Every sequence number up to this one has a final result on the server. */
  highWater: z.number().int().nonnegative(),
  results: z.array(mutationResultSchema),
});
/** A push answer. */
export type PushResponse = z.infer<typeof pushResponseSchema>;

/** What a pull delivers (`insight`: a customer's computed insight, id = the server customer id, shared/insight/record.ts). */
export const PULL_ENTITIES = ['customer', 'ticket', 'task', 'config', 'user', 'insight'] as const;
/** A pulled entity. */
export type PullEntity = (typeof PULL_ENTITIES)[number];

/** One pulled change: the record's current state (`upsert`) or its leaving the caller's scope (`remove`). */
export const pullChangeSchema = z.object({
  changeId: z.number().int(),
  entity: z.enum(PULL_ENTITIES),
  id: z.string(),
  op: z.enum(['upsert', 'remove']),
  record: z.unknown().optional(),
});
/** A pulled change. */
export type PullChange = z.infer<typeof pullChangeSchema>;

/** Largest pull page. */
export const MAX_PULL_LIMIT = 5000;

/** Query of `GET /sync/pull`. */
export const pullQuerySchema = z.object({
  cursor: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(1000),
});

/** Answer of `GET /sync/pull`. Pass `cursor` back; `latest` lets the UI show progress of a long first sync. */
export const pullResponseSchema = z.object({
  changes: z.array(pullChangeSchema),
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
  /** The newest change id on the server when this page was read. */
  latest: z.number().int().nonnegative(),
});
/** A pull answer. */
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** A call event reported by a desktop (stored for reporting and supervisor views). */
export const callEventSchema = z.object({
  id: z.string().min(1).max(100),
  callId: z.string().min(1).max(100),
  kind: z.string().min(1).max(40),
  at: z.number(),
  data: z.record(z.string(), z.unknown()).default({}),
});
/** A call event. */
export type CallEvent = z.infer<typeof callEventSchema>;

/** Messages a desktop sends on `/realtime`. The first must be `auth`. */
export const realtimeClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().min(1).max(2000) }),
  z.object({ type: z.literal('ping'), at: z.number().optional() }),
  z.object({ type: z.literal('agent-state'), event: agentStateEventSchema }),
  z.object({ type: z.literal('call-event'), event: callEventSchema }),
]);
/** A desktop-to-server message. */
export type RealtimeClientMessage = z.infer<typeof realtimeClientMessageSchema>;

/** Messages the server sends on `/realtime`. */
export const realtimeServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), user: userSchema, latest: z.number().int(), heartbeatMs: z.number().int() }),
  z.object({ type: z.literal('pong'), at: z.number().optional() }),
  z.object({ type: z.literal('ack'), id: z.string() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
  /** New changes exist up to `latest`: pull. */
  z.object({ type: z.literal('changes'), latest: z.number().int(), entities: z.array(z.enum(PULL_ENTITIES)) }),
  z.object({ type: z.literal('ticket'), ticket: z.unknown(), assignedToYou: z.boolean() }),
  z.object({ type: z.literal('config'), key: z.string(), value: z.unknown() }),
  z.object({ type: z.literal('agent-state'), event: agentStateEventSchema, userId: z.string() }),
  /**
   * Supervisors and admins: rows of the live board (`GET /supervisor/board`) that changed, by id, in
   * the receiver's scope (server/reports/boardPublisher.ts). Shapes: `shared/kpi/board.ts`.
   */
  z.object({ type: z.literal('supervisor-board'), at: z.number(), queues: z.array(z.unknown()), agents: z.array(z.unknown()) }),
  /** The ACD router's live queue figures (pushed on change, and again every few seconds). */
  z.object({ type: z.literal('queue-stats'), at: z.number(), queues: z.array(queueStatsSchema) }),
]);
/** A server-to-desktop message. */
export type RealtimeServerMessage = z.infer<typeof realtimeServerMessageSchema>;
