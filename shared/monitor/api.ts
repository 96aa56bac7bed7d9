import { z } from 'zod';
import { noPayload } from '../api/noPayload';
import { monitorModeSchema } from './token';

/** Schema of one monitoring session as the UI and the media engine see it. */
export const monitorSessionSchema = z.object({
  /** The session id; also the media id of its SIP leg (the media engine keys peer connections by it). */
  id: z.string(),
  /** `supervisor`: we listen to an agent; `agent`: a supervisor listens to us. */
  role: z.enum(['supervisor', 'agent']),
  /** Agent side: our call being monitored (media id of the customer leg). Supervisor side: the agent's call id. */
  callId: z.string(),
  /** The other party: the supervisor's user id (agent side) or the agent's SIP target (supervisor side). */
  peer: z.string(),
  mode: monitorModeSchema,
  state: z.enum(['connecting', 'active', 'ended']),
  /** Agent side: whether the agent is shown that they are monitored (policy `monitoring.showIndicator`). */
  indicator: z.boolean(),
  /** Why it ended (SIP code or reason), when ended. */
  endReason: z.string().optional(),
});
/** One monitoring session. */
export type MonitorSession = z.infer<typeof monitorSessionSchema>;
/** Schema of the monitoring snapshot (`monitor:state`). */
export const monitorStateSchema = z.object({ sessions: z.array(monitorSessionSchema) });
/** The monitoring snapshot. */
export type MonitorState = z.infer<typeof monitorStateSchema>;

/** Schema of `monitor:start`: call the agent's desktop with the server-signed token. */
export const monitorStartSchema = z.object({
  /** The agent's SIP extension or URI (as the live board shows it). */
  agent: z.string().trim().min(1).max(256),
  /** The token the server signed for this supervisor, agent and call (`POST /monitoring/token`). */
  token: z.string().trim().min(1).max(4000),
  mode: monitorModeSchema,
});
/** Schema of `monitor:token`: ask the central server for a token for one agent's call (supervisor). */
export const monitorTokenRequestSchema = z.object({
  /** The agent's user id on the server. */
  agent: z.string().trim().min(1).max(100),
  /** The agent's call id (as the live agent board shows it). */
  call: z.string().trim().min(1).max(100),
});
/** Schema of the answer of `monitor:token`. */
export const monitorTokenSchema = z.object({ token: z.string() });
/** Schema of `monitor:mode`: switch an active session's mode. */
export const monitorModeChangeSchema = z.object({ sessionId: z.string().min(1).max(100), mode: monitorModeSchema });
/** Schema of `monitor:stop`. */
export const monitorStopSchema = z.object({ sessionId: z.string().min(1).max(100) });

/** The monitoring invoke channels, merged into `invokeChannels`. */
export const monitorInvokeChannels = {
  'monitor:state': { request: noPayload, response: monitorStateSchema },
  'monitor:token': { request: monitorTokenRequestSchema, response: monitorTokenSchema },
  'monitor:start': { request: monitorStartSchema, response: monitorSessionSchema },
  'monitor:mode': { request: monitorModeChangeSchema, response: monitorSessionSchema },
  'monitor:stop': { request: monitorStopSchema, response: monitorSessionSchema },
} as const;

/** The monitoring event channels: `monitor:state` after every change of a session. */
export const monitorEventChannels = {
  'monitor:state': monitorStateSchema,
} as const;
