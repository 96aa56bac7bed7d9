import { z } from 'zod';
import { noPayload } from '../api/noPayload';
import { interactionSchema } from '../interaction/interaction';
import { taskCreateSchema, taskSchema } from '../task/task';
import { ticketCreateSchema, ticketSchema } from '../ticket/ticket';
import { wrapUpSnapshotSchema } from './wrapup';
import { MANUAL_AGENT_STATES, agentStateSchema, pendingAgentStateSchema } from './state';

/** Schema of the agent snapshot pushed on `agent:state` (and answered by `agent:state`). */
export const agentSnapshotSchema = z.object({
  agentId: z.string(),
  state: agentStateSchema,
  /** The not-ready reason code; null in other states. */
  reason: z.string().nullable(),
  /** When the current state was entered (epoch ms): the status bar timer counts from here. */
  since: z.number(),
  /** A state the agent chose while handling a call: applied when the call work is done. */
  pending: pendingAgentStateSchema.nullable(),
  /** The call being handled (ringing or on-call), if any. */
  callId: z.string().nullable(),
  /** The wrap-up in progress (also kept while a new call rings during wrap-up). */
  wrapUp: wrapUpSnapshotSchema.nullable(),
});
/** The agent as the UI mirrors it. */
export type AgentSnapshot = z.infer<typeof agentSnapshotSchema>;

/** Schema of `agent:set-state`: ready, not-ready (with a configured reason) or logged-out. */
export const agentSetStateSchema = z.object({
  state: z.enum(MANUAL_AGENT_STATES),
  reason: z.string().min(1).max(40).optional(),
});

/**
 * Schema of `wrapup:submit`: the disposition and notes, the customer the call was with (when the
 * pop had several or none), tickets to link, a ticket to create and a follow-up to schedule. All of
 * it is written in one transaction.
 */
export const wrapUpSubmitSchema = z.object({
  disposition: z.string().min(1).max(40).nullable().optional(),
  notes: z.string().max(20_000).default(''),
  customerId: z.number().int().positive().nullable().optional(),
  linkTicketIds: z.array(z.string().min(1).max(100)).max(20).default([]),
  createTicket: ticketCreateSchema.omit({ fromInteractionId: true, fromCallId: true }).optional(),
  followUp: taskCreateSchema.optional(),
});
/** A wrap-up submission. */
export type WrapUpSubmit = z.output<typeof wrapUpSubmitSchema>;

/** Answer of `wrapup:submit`: the logged wrap-up entry, what was created, and the agent afterwards. */
export const wrapUpResultSchema = z.object({
  interaction: interactionSchema,
  ticket: ticketSchema.nullable(),
  task: taskSchema.nullable(),
  agent: agentSnapshotSchema,
});
/** What `wrapup:submit` answers. */
export type WrapUpResult = z.output<typeof wrapUpResultSchema>;

/** The agent invoke channels, merged into `invokeChannels`. */
export const agentInvokeChannels = {
  'agent:state': { request: noPayload, response: agentSnapshotSchema },
  'agent:set-state': { request: agentSetStateSchema, response: agentSnapshotSchema },
  'wrapup:submit': { request: wrapUpSubmitSchema, response: wrapUpResultSchema },
  'wrapup:extend': { request: noPayload, response: agentSnapshotSchema },
} as const;

/** The agent event channels: `agent:state` after every change (state, since, wrap-up deadline). */
export const agentEventChannels = {
  'agent:state': agentSnapshotSchema,
} as const;
