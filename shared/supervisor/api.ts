import { z } from 'zod';
import { noPayload } from '../api/noPayload';
import type { AgentBoardRow, LiveBoard, QueueBoardRow } from '../kpi/board';
import { REPORT_GRAINS } from '../kpi/buckets';
import type { Report } from '../kpi/report';

/**
 * The supervisor workspace's channels (issue 12): the core reads the live board and reports from
 * the central server (which enforces the role and scope) and relays the board deltas the server
 * pushes on the real-time channel.
 */
export const liveBoardSchema = z.custom<LiveBoard>((v) => typeof v === 'object' && v !== null && Array.isArray((v as LiveBoard).queues) && Array.isArray((v as LiveBoard).agents));

/** A board delta: changed rows by id. */
export const boardDeltaSchema = z.object({
  at: z.number(),
  queues: z.array(z.custom<QueueBoardRow>((v) => typeof v === 'object' && v !== null)),
  agents: z.array(z.custom<AgentBoardRow>((v) => typeof v === 'object' && v !== null)),
});
/** A board delta. */
export type BoardDelta = z.infer<typeof boardDeltaSchema>;

/** What a report asks for (the server adds the scope). */
export const reportRequestSchema = z.object({
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  grain: z.enum(REPORT_GRAINS),
  by: z.enum(['queue', 'agent']),
  queues: z.array(z.string()).default([]),
});
/** A report request. */
export type ReportRequest = z.input<typeof reportRequestSchema>;

/** The supervisor invoke channels, merged into `invokeChannels`. */
export const supervisorInvokeChannels = {
  /** The live queue and agent boards in the signed-in supervisor's scope (FORBIDDEN for agents). */
  'supervisor:board': { request: noPayload, response: liveBoardSchema },
  /** A historical report in the centre's time zone. */
  'supervisor:report': { request: reportRequestSchema, response: z.custom<Report>((v) => typeof v === 'object' && v !== null && Array.isArray((v as Report).rows)) },
} as const;

/** The supervisor event channels: the board rows that changed. */
export const supervisorEventChannels = {
  'supervisor:board-delta': boardDeltaSchema,
} as const;
