import { z } from 'zod';

/**
 * The local CTI API: a WebSocket on 127.0.0.1 for other applications on the agent's machine
 * (ticketing tools, recorders, ERP clients). Version 1.
 *
 * Connect: `ws://127.0.0.1:<cti.port>/cti` with the token as `Authorization: Bearer <token>` or
 * `?token=<token>`. The token is in `<data dir>/cti-token` (readable only by the user). Browser
 * pages are refused (any `Origin` header): only local programs may drive the phone.
 *
 * Server -> client: `hello`, then `call` events; `result` answers each command by id.
 * Client -> server: `{ "id": 1, "command": "dial", "target": "+8613800138000" }`,
 * `{ "id": 2, "command": "answer", "callId": "..." }`, `{ "id": 3, "command": "hangup", "callId": "..." }`.
 */

/** The API version in `hello`. */
export const CTI_VERSION = 1;

/** Schema of a command sent by a CTI client. */
export const ctiCommandSchema = z.discriminatedUnion('command', [
  z.object({ id: z.union([z.number(), z.string().max(64)]), command: z.literal('dial'), target: z.string().trim().min(1).max(256) }),
  z.object({ id: z.union([z.number(), z.string().max(64)]), command: z.literal('answer'), callId: z.string().min(1).max(100) }),
  z.object({ id: z.union([z.number(), z.string().max(64)]), command: z.literal('hangup'), callId: z.string().min(1).max(100) }),
]);
/** A command from a CTI client. */
export type CtiCommand = z.infer<typeof ctiCommandSchema>;

/** Call event kinds streamed to CTI clients. */
export const CTI_CALL_EVENTS = ['ringing', 'dialing', 'answered', 'held', 'resumed', 'ended'] as const;
/** A call event kind. */
export type CtiCallEvent = (typeof CTI_CALL_EVENTS)[number];

/** The customer attached to a call event (from the screen pop), when one matched. */
export interface CtiCustomer {
  id: number;
  code: string;
  name: string;
  company: string;
  level: string;
}

/** Messages the CTI server sends. */
export type CtiServerMessage =
  | { type: 'hello'; version: number; agent: string }
  | {
      type: 'call';
      event: CtiCallEvent;
      call: {
        id: string;
        direction: 'inbound' | 'outbound';
        number: string;
        displayName: string;
        headers: Record<string, string>;
        createdAt: number;
        answeredAt: number | null;
        endedAt: number | null;
        endReason: string | null;
      };
      customer: CtiCustomer | null;
    }
  | { type: 'result'; id: number | string | null; ok: true; callId?: string }
  | { type: 'result'; id: number | string | null; ok: false; error: { code: string; message: string } };
