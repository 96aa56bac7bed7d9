import { vi } from 'vitest';
import type { AgentSnapshot } from '../../shared/agent/api';
import type { CalldeskApi } from '../../shared/api/client';
import { ok, type Result } from '../../shared/api/result';
import { SETTING_DEFAULTS, SETTING_KEYS, type SettingKey, type SettingsSnapshot } from '../../shared/settings/definitions';
import type { Interaction } from '../../shared/interaction/interaction';
import type { Task } from '../../shared/task/task';
import type { Ticket, TicketHistoryEntry } from '../../shared/ticket/ticket';
import type { WrapUpSnapshot } from '../../shared/agent/wrapup';

const HOUR = 3_600_000;

/** A settings snapshot of the defaults with some values changed. */
export function settingsSnapshot(values: Partial<Record<SettingKey, unknown>> = {}): SettingsSnapshot {
  return { revision: 1, entries: SETTING_KEYS.map((key) => ({ key, value: key in values ? values[key] : SETTING_DEFAULTS[key], source: 'default' as const, locked: false })) };
}

/** An agent snapshot (ready since a minute ago), with overrides. */
export function agentFixture(overrides: Partial<AgentSnapshot> = {}): AgentSnapshot {
  return { agentId: '1001', state: 'ready', reason: null, since: Date.now() - 60_000, pending: null, callId: null, wrapUp: null, ...overrides };
}

/** A time-boxed wrap-up of an inbound call from 张伟 (customer 1), 60 s left. */
export function wrapUpFixture(overrides: Partial<WrapUpSnapshot> = {}): WrapUpSnapshot {
  const now = Date.now();
  return {
    interactionId: 'i-1',
    callId: 'c-1',
    direction: 'inbound',
    remoteNumber: '+8675588881234',
    remoteName: '张伟',
    customerId: 1,
    ticketIds: [],
    mode: 'time-boxed',
    startedAt: now,
    deadline: now + 60_000,
    extended: false,
    canExtend: true,
    canSkip: false,
    dispositionRequired: true,
    notesRequired: false,
    defaultDisposition: 'no-action',
    ...overrides,
  };
}

/** A ticket (new complaint P2 of customer 1), with overrides. */
export function ticketFixture(overrides: Partial<Ticket> = {}): Ticket {
  const now = Date.now();
  return {
    id: 'tk-0001-aaaa',
    type: 'complaint',
    priority: 'P2',
    status: 'new',
    category: 'delivery',
    subject: 'Damaged parcel',
    description: 'Box crushed',
    customerId: 1,
    assignee: '1001',
    createdBy: '1001',
    createdAt: now - HOUR,
    updatedAt: now - HOUR,
    dueAt: now + 3 * HOUR,
    pendingSince: null,
    resolution: null,
    satisfaction: null,
    resolvedAt: null,
    closedAt: null,
    interactionIds: ['i-1'],
    version: 1,
    overdue: false,
    ...overrides,
  };
}

/** A call interaction of customer 1, with overrides. */
export function interactionFixture(overrides: Partial<Interaction> = {}): Interaction {
  const now = Date.now();
  return {
    id: 'i-1',
    kind: 'call',
    rootId: 'i-1',
    revisionOf: null,
    revisionKind: 'original',
    correctionReason: null,
    customerId: 1,
    agentId: '1001',
    direction: 'inbound',
    localNumber: 'sip:1001@calldesk.test',
    remoteNumber: '+8675588881234',
    remoteName: '张伟',
    queue: null,
    headers: {},
    callId: 'c-1',
    sipCallId: null,
    occurredAt: now - HOUR,
    answeredAt: now - HOUR + 5000,
    endedAt: now - HOUR + 65_000,
    holds: [],
    ringMs: 5000,
    talkMs: 60_000,
    holdMs: 0,
    wrapUpMs: null,
    endReason: 'remote-hangup',
    endSipCode: null,
    disposition: null,
    wrapUpCompletion: null,
    subject: '',
    notes: '',
    quality: null,
    dtmfReceived: '',
    ticketIds: [],
    createdAt: now - HOUR,
    ...overrides,
  };
}

/** A callback task due in 30 minutes, with overrides. */
export function taskFixture(overrides: Partial<Task> = {}): Task {
  const now = Date.now();
  return {
    id: 'task-1',
    kind: 'callback',
    title: 'Call back about the refund',
    notes: '',
    customerId: 1,
    phone: '+8613800138000',
    ticketId: null,
    interactionId: null,
    dueAt: now + 30 * 60_000,
    remindAt: now + 30 * 60_000,
    remindedAt: null,
    assignee: '1001',
    status: 'open',
    createdBy: '1001',
    createdAt: now - HOUR,
    completedAt: null,
    version: 1,
    overdue: false,
    ...overrides,
  };
}

type Listener = (payload: never) => void;

/**
 * A fake `window.calldesk` for the workflow screens: every invoke is a vi.fn answering ok with a
 * sensible default (override with `mockResolvedValueOnce`), and `emit(channel, payload)` pushes an
 * event to the subscribed stores.
 */
export function fakeWorkflowApi() {
  const listeners = new Map<string, Set<Listener>>();
  const on = (channel: string) => (l: Listener) => {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(l);
    return () => set.delete(l);
  };
  const answer = <T>(value: T) => vi.fn(async (_req?: unknown): Promise<Result<T>> => ok(value));
  const api = {
    agent: { state: answer(agentFixture()), setState: answer(agentFixture()), onState: on('agent:state') },
    wrapup: {
      submit: vi.fn(async (_req?: unknown): Promise<Result<unknown>> => ok({ interaction: interactionFixture(), ticket: null, task: null, agent: agentFixture() })),
      extend: answer(agentFixture()),
    },
    ticket: {
      list: answer({ items: [] as Ticket[], total: 0 }),
      get: answer({ ticket: ticketFixture(), history: [] as TicketHistoryEntry[] }),
      draft: answer({ type: 'inquiry', priority: 'P3', subject: '张伟', description: 'Inbound call', customerId: 1, interactionIds: ['i-1'], dueAt: Date.now() + 86_400_000 }),
      create: answer(ticketFixture()),
      update: answer(ticketFixture()),
      transition: answer(ticketFixture()),
      onChanged: on('ticket:changed'),
    },
    task: {
      list: answer({ items: [] as Task[], total: 0 }),
      create: answer(taskFixture()),
      complete: answer(taskFixture({ status: 'done' })),
      onChanged: on('task:changed'),
      onReminder: on('task:reminder'),
    },
    interaction: {
      list: answer({ items: [] as Interaction[], total: 0 }),
      get: answer({ entry: interactionFixture(), revisions: [] as Interaction[] }),
      add: answer(interactionFixture({ kind: 'note' })),
      correct: answer(interactionFixture({ revisionKind: 'correction' })),
      onLogged: on('interaction:logged'),
    },
    customer: {
      get: vi.fn(async () => ok({ name: '张伟' })),
      search: vi.fn(async () => ok({ items: [], total: 0, capped: false })),
      popChoose: vi.fn(async (_req?: unknown) => ok({})),
      lookupCaller: vi.fn(async (_req?: unknown) => ok({ caller: { kind: 'number', e164: null, display: '', displayName: null }, matches: [] as { id: number; name: string }[] })),
      onPop: on('customer:pop'),
    },
    call: { dial: vi.fn(async () => ok({})) },
  };
  return {
    api,
    /** The same object typed as the app sees it. */
    calldesk: api as unknown as CalldeskApi,
    emit(channel: string, payload: unknown) {
      for (const l of listeners.get(channel) ?? []) (l as (p: unknown) => void)(payload);
    },
  };
}
