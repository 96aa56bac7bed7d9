import { randomUUID } from 'node:crypto';
import type { Interaction } from '../../shared/interaction/interaction';
import type { Ticket } from '../../shared/ticket/ticket';

/** A complete interaction record as the desktop outbox carries it. */
export function interactionRecord(overrides: Partial<Interaction> = {}): Interaction {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    kind: 'call',
    rootId: id,
    revisionOf: null,
    revisionKind: 'original',
    correctionReason: null,
    customerId: null,
    agentId: 'agent',
    direction: 'inbound',
    localNumber: 'sip:1001@pbx',
    remoteNumber: '+8613800138000',
    remoteName: null,
    queue: null,
    headers: {},
    callId: randomUUID(),
    sipCallId: null,
    occurredAt: 1_700_000_000_000,
    answeredAt: 1_700_000_001_000,
    endedAt: 1_700_000_061_000,
    holds: [],
    ringMs: 1000,
    talkMs: 60_000,
    holdMs: 0,
    wrapUpMs: null,
    endReason: null,
    endSipCode: null,
    disposition: null,
    wrapUpCompletion: null,
    subject: '',
    notes: '',
    quality: null,
    dtmfReceived: '',
    ticketIds: [],
    createdAt: 1_700_000_061_000,
    ...overrides,
  };
}

/** A ticket record as the desktop outbox carries it (no `overdue`). */
export type TicketRecord = Omit<Ticket, 'overdue'>;

/** A new ticket record (version 1). */
export function ticketRecord(overrides: Partial<TicketRecord> = {}): TicketRecord {
  const now = 1_700_000_000_000;
  return {
    id: randomUUID(),
    type: 'inquiry',
    priority: 'P3',
    status: 'new',
    category: '',
    subject: 'Printer on fire',
    description: 'Smoke everywhere',
    customerId: null,
    assignee: 'agent',
    createdBy: 'agent',
    createdAt: now,
    updatedAt: now,
    dueAt: now + 24 * 3_600_000,
    pendingSince: null,
    resolution: null,
    satisfaction: null,
    resolvedAt: null,
    closedAt: null,
    interactionIds: [],
    version: 1,
    ...overrides,
  };
}
