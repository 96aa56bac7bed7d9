import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { AgentSnapshot, WrapUpSubmit } from '../../../shared/agent/api';
import {
  MISSED_CALL_REASON,
  NO_PHONE_REASON,
  isCallState,
  transitionAgent,
  type AgentState,
  type AgentStateEvent,
  type ManualAgentState,
  type NotReadyInbound,
  type NotReadyReason,
  type PendingAgentState,
} from '../../../shared/agent/state';
import { AppError, assertNever } from '../../../shared/api/result';
import type { CallSnapshot } from '../../../shared/phone/call';
import type { QualitySummary } from '../../../shared/phone/quality';
import type { Interaction } from '../../../shared/workflow/interaction';
import type { Task } from '../../../shared/workflow/task';
import type { Ticket } from '../../../shared/workflow/ticket';
import { canSkipWrapUp, checkWrapUpAnswer, dispositionCodes, type WrapUpCompletion, type WrapUpPolicy, type WrapUpSnapshot } from '../../../shared/workflow/wrapup';
import type { Clock } from '../adapters';
import type { CoreBus, CoreEvent } from '../bus/coreBus';
import { CallAnswered, CallDialing, CallEnded, CallHeld, CallResumed, CallRinging, type CallEventBase } from '../phone/callEvents';
import type { InteractionService } from '../interactions/interactionService';
import type { Logger } from '../log/logger';
import type { OutboxRepository } from '../outbox/outboxRepository';
import type { TaskService } from '../tasks/taskService';
import type { TicketService } from '../tickets/ticketService';
import { AgentStateRecorded } from './agentEvents';
import type { AgentStateRepository } from './agentStateRepository';
import type { Scheduler, TimerHandle } from '../adapters/scheduler';

/** The `agent.*` and `wrapup.*` settings in force, read at each decision. */
export interface WorkflowConfig {
  agentId: string;
  notReadyReasons: NotReadyReason[];
  missedRingNotReady: boolean;
  notReadyInbound: NotReadyInbound;
  queueHeader: string;
  /** The agent's own SIP address, recorded on call interactions. */
  localNumber: string | null;
  /** A SIP account (address and server) is configured: without one the agent cannot take calls. */
  phoneConfigured: boolean;
  wrapUp: WrapUpPolicy;
}

/** What the workflow needs to control calls (rejecting when not ready). */
export interface CallControl {
  reject(callId: string, code: 486 | 603): Promise<unknown>;
}

/** Everything the service needs. */
export interface AgentWorkflowDeps {
  db: Database.Database;
  states: AgentStateRepository;
  outbox: OutboxRepository;
  interactions: InteractionService;
  tickets: TicketService;
  tasks: TaskService;
  clock: Clock;
  scheduler: Scheduler;
  config: () => WorkflowConfig;
  calls: CallControl;
  /** The customer the call is with (screen pop match or number lookup), or null. */
  customerFor: (call: CallSnapshot) => number | null;
  /** Ids of the tickets already linked to an interaction (root id). */
  linkedTickets?: (rootId: string) => string[];
  /** The call quality summary reported for a call, if any. */
  qualityFor?: (callId: string) => QualitySummary | null;
  /** Receives every new snapshot (event `agent:state`). */
  emit: (snapshot: AgentSnapshot) => void;
  /** The core bus: call lifecycle events in, {@link AgentStateRecorded} out. */
  bus: CoreBus;
  logger: Logger;
}

/** The availability the agent returns to after call work. */
interface Availability {
  state: ManualAgentState;
  reason: string | null;
}

/** What the service remembers about one live call (dropped when it ends). */
interface CallTrack {
  last: CallSnapshot;
  answered: boolean;
  ended: boolean;
  /** We rejected it because the agent was not ready (reject-busy). */
  rejectedByUs: boolean;
}

/** The wrap-up in progress. */
interface WrapUpRun {
  interaction: Interaction;
  callId: string;
  startedAt: number;
  policy: WrapUpPolicy;
  deadline: number | null;
  extended: boolean;
  timer: TimerHandle | null;
}

/** What `wrapup:submit` answers. */
export interface WrapUpResult {
  interaction: Interaction;
  ticket: Ticket | null;
  task: Task | null;
  agent: AgentSnapshot;
}

/**
 * Drives the agent state from the phone and the agent's choices: ringing and on-call follow the
 * phone's call lifecycle events (see {@link connect}), every call is logged when it ends (durations from the SIP timestamps),
 * wrap-up starts after an answered call (time-boxed wrap-ups complete by themselves with the
 * default disposition), a missed ring moves the agent to not-ready(missed-call) when configured,
 * and every state change is recorded as an event (one transaction with its outbox row).
 */
export class AgentWorkflowService {
  private state: AgentState = 'logged-out';
  private reason: string | null = null;
  private since = 0;
  private base: Availability = { state: 'logged-out', reason: null };
  private pending: PendingAgentState | null = null;
  private callId: string | null = null;
  private wrapUp: WrapUpRun | null = null;
  /** The first answered call of the current call work: the one wrap-up is for. */
  private cycleCall: { callId: string } | null = null;
  private readonly calls = new Map<string, CallTrack>();

  constructor(private readonly deps: AgentWorkflowDeps) {}

  /**
   * Restores the agent's last state: ready, not-ready (same reason) and logged-out continue; a
   * state of a call in progress when the app stopped becomes logged-out. A first start is ready.
   */
  start(): AgentSnapshot {
    const last = this.deps.states.last(this.agentId);
    if (!this.deps.config().phoneConfigured && (!last || last.toState !== 'logged-out')) {
      // Ready without a phone would promise calls that can never ring.
      this.state = last ? last.toState : 'logged-out';
      this.reason = last?.toReason ?? null;
      this.since = last ? last.at : 0;
      if (this.state !== 'not-ready' || this.reason !== NO_PHONE_REASON) this.record('not-ready', NO_PHONE_REASON, 'no-phone', null, { force: true });
      this.base = { state: 'not-ready', reason: NO_PHONE_REASON };
    } else if (last && !isCallState(last.toState)) {
      this.state = last.toState;
      this.reason = last.toReason;
      this.since = last.at;
      this.base = { state: last.toState as ManualAgentState, reason: last.toReason };
    } else {
      this.state = last ? last.toState : 'logged-out';
      this.since = last ? last.at : 0;
      const to: ManualAgentState = last ? 'logged-out' : 'ready';
      this.record(to, null, last ? 'restored' : 'first-start', null, { force: true });
      this.base = { state: to, reason: null };
    }
    this.emit();
    return this.snapshot();
  }

  /** The agent id in force (read live: it follows `agent.id` and the SIP account). */
  private get agentId(): string {
    return this.deps.config().agentId;
  }

  /** Pushes the snapshot again after something it reads changed outside this service (the signed-in user). */
  announce(): void {
    this.emit();
  }

  /** Stops timers. */
  stop(): void {
    if (this.wrapUp?.timer) this.deps.scheduler.clearTimeout(this.wrapUp.timer);
  }

  /** The snapshot pushed on `agent:state`. */
  snapshot(): AgentSnapshot {
    return {
      agentId: this.agentId,
      state: this.state,
      reason: this.reason,
      since: this.since,
      pending: this.pending,
      callId: this.callId,
      wrapUp: this.wrapUp ? this.wrapUpSnapshot(this.wrapUp) : null,
    };
  }

  /** The last recorded state change of the agent in force, or null. */
  lastEvent(): AgentStateEvent | null {
    return this.deps.states.last(this.agentId) ?? null;
  }

  /** The agent's state changes since `from` (supervisor reports, tests). */
  events(from = 0): AgentStateEvent[] {
    return this.deps.states.list(this.agentId, from);
  }

  /**
   * The agent chooses ready, not-ready (with a configured reason) or logged-out. While a call rings
   * or is live the choice is kept as pending and applied when the call work is done; during
   * wrap-up it ends an optional wrap-up (skipped) or waits for the submit.
   */
  setState(state: ManualAgentState, reason?: string): AgentSnapshot {
    const want = this.checkManual(state, reason);
    switch (this.state) {
      case 'ringing':
      case 'on-call':
        this.pending = want;
        break;
      case 'wrap-up':
        if (this.wrapUp && canSkipWrapUp(this.wrapUp.policy)) {
          this.pending = want;
          this.completeWrapUp('skipped', { disposition: null, notes: '', customerId: undefined, linkTicketIds: [] });
        } else {
          this.pending = want;
        }
        break;
      case 'ready':
      case 'not-ready':
      case 'logged-out':
        if (state !== this.state || (state === 'not-ready' && want.reason !== this.reason)) this.record(state, want.reason, null, null);
        this.base = want;
        this.pending = null;
        break;
      default:
        assertNever(this.state, 'agent state');
    }
    this.emit();
    return this.snapshot();
  }

  /** Completes the wrap-up in progress with what the agent entered (one transaction). */
  submitWrapUp(req: WrapUpSubmit): WrapUpResult {
    if (!this.wrapUp) throw new AppError('ILLEGAL_TRANSITION', 'There is no wrap-up in progress', { entity: 'wrap-up' });
    checkWrapUpAnswer(this.wrapUp.policy, req);
    return this.completeWrapUp('submitted', req);
  }

  /** Extends a time-boxed wrap-up once by `wrapup.extendSeconds`. */
  extendWrapUp(): AgentSnapshot {
    const w = this.wrapUp;
    if (!w) throw new AppError('ILLEGAL_TRANSITION', 'There is no wrap-up in progress', { entity: 'wrap-up' });
    if (w.deadline === null) throw new AppError('ILLEGAL_TRANSITION', 'Only a time-boxed wrap-up can be extended', { entity: 'wrap-up' });
    if (w.extended) throw new AppError('ILLEGAL_TRANSITION', 'A wrap-up can be extended only once', { entity: 'wrap-up' });
    w.extended = true;
    w.deadline += w.policy.extendSeconds * 1000;
    this.armWrapUpTimer(w);
    this.deps.logger.info('wrap-up extended', { callId: w.callId, deadline: w.deadline });
    this.emit();
    return this.snapshot();
  }

  /**
   * Subscribes to the phone's call lifecycle events: rings, dials, answers and ends drive the agent
   * state (each event comes once per call). Returns an unsubscribe.
   */
  connect(): () => void {
    const on = (event: CoreEvent<CallEventBase>, fn: (call: CallSnapshot) => void) =>
      this.deps.bus.on(event, ({ call }: CallEventBase) => {
        try {
          fn(call);
        } catch (err) {
          this.deps.logger.error('agent workflow failed on a call event', { callId: call.id, error: (err as Error).message });
        }
      });
    const offs = [
      on(CallRinging, (call) => {
        const track = this.track(call);
        if (call.direction === 'inbound' && !track.ended) this.ringing(call, track);
      }),
      on(CallDialing, (call) => {
        this.track(call);
        this.onCallWork(call.id);
      }),
      on(CallAnswered, (call) => {
        const track = this.track(call);
        track.answered = true;
        this.cycleCall ??= { callId: call.id };
        this.onCallWork(call.id);
      }),
      on(CallHeld, (call) => void this.track(call)),
      on(CallResumed, (call) => void this.track(call)),
      on(CallEnded, (call) => {
        const track = this.track(call);
        if (track.ended) return;
        track.ended = true;
        try {
          this.callEnded(call, track);
        } finally {
          this.calls.delete(call.id);
        }
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  /** The live call's track, created on its first event, holding its latest snapshot. */
  private track(call: CallSnapshot): CallTrack {
    let track = this.calls.get(call.id);
    if (!track) this.calls.set(call.id, (track = { last: call, answered: false, ended: false, rejectedByUs: false }));
    track.last = call;
    return track;
  }

  private ringing(call: CallSnapshot, track: CallTrack): void {
    const cfg = this.deps.config();
    const unavailable = this.state === 'not-ready' || this.state === 'logged-out' || this.state === 'wrap-up';
    if (unavailable && cfg.notReadyInbound === 'reject-busy') {
      track.rejectedByUs = true;
      this.deps.logger.info('not ready: rejecting inbound call busy', { callId: call.id, state: this.state });
      void this.deps.calls.reject(call.id, 486).catch((err: Error) => this.deps.logger.warn('busy reject failed', { callId: call.id, error: err.message }));
      return;
    }
    if (this.state === 'on-call' || this.state === 'ringing') return; // call waiting: the phone shows it
    this.record('ringing', null, 'call', call.id);
    this.callId = call.id;
    this.emit();
  }

  /** A call is answered or dialled: the agent is on a call (an open wrap-up is interrupted). */
  private onCallWork(callId: string): void {
    if (this.state === 'on-call') return;
    if (this.wrapUp) this.completeWrapUp('interrupted', { disposition: null, notes: '', customerId: undefined, linkTicketIds: [] }, { move: false });
    this.record('on-call', null, 'call', callId);
    this.callId = callId;
    this.emit();
  }

  private callEnded(call: CallSnapshot, track: CallTrack): void {
    const cfg = this.deps.config();
    const interaction = this.deps.interactions.logCall(call, {
      customerId: this.safeCustomer(call),
      localNumber: cfg.localNumber,
      queueHeader: cfg.queueHeader,
      quality: this.deps.qualityFor?.(call.id) ?? null,
    });
    this.deps.logger.info('call logged', { callId: call.id, interactionId: interaction.id, reason: call.end?.reason });
    if (track.rejectedByUs) return;

    const live = [...this.calls.values()].filter((t) => !t.ended);
    const liveWork = live.find((t) => t.answered || t.last.direction === 'outbound');
    const liveRing = live.find((t) => t.last.direction === 'inbound' && t.last.state === 'ringing' && !t.rejectedByUs);

    if (this.state === 'on-call') {
      if (liveWork) {
        this.callId = liveWork.last.id;
        this.emit();
        return;
      }
      const cycle = this.cycleCall;
      this.cycleCall = null;
      const wrapFor = cycle ? (cycle.callId === call.id ? interaction : this.deps.interactions.forCall(cycle.callId)) : null;
      if (wrapFor) this.startWrapUp(wrapFor, cycle!.callId);
      else this.returnToAvailability('call-ended', call.id);
      if (liveRing) {
        // A call waiting rang during this call: it now rings for the agent (wrap-up stays open).
        this.record('ringing', null, 'call', liveRing.last.id);
        this.callId = liveRing.last.id;
      }
      this.emit();
      return;
    }

    if (this.state === 'ringing' && this.callId === call.id) {
      if (liveRing) {
        this.callId = liveRing.last.id;
        this.emit();
        return;
      }
      const missedByAgent = (call.end?.reason === 'missed' && call.end.message === 'ring-timeout') || call.end?.reason === 'rejected';
      if (missedByAgent && cfg.missedRingNotReady) {
        const missed: Availability = { state: 'not-ready', reason: MISSED_CALL_REASON };
        // A state the agent chose while it rang wins over the automatic one.
        if (this.wrapUp) {
          this.pending ??= missed;
          this.record('wrap-up', null, 'missed-ring', call.id);
        } else {
          this.pending ??= missed;
          this.returnToAvailability('missed-ring', call.id);
        }
        this.deps.logger.info('missed ring: agent not ready', { callId: call.id, reason: call.end?.reason });
      } else if (this.wrapUp) {
        this.record('wrap-up', null, 'ring-ended', call.id);
      } else {
        this.returnToAvailability('ring-ended', call.id);
      }
      this.callId = null;
      this.emit();
    }
  }

  private startWrapUp(interaction: Interaction, callId: string): void {
    const policy = this.deps.config().wrapUp;
    const now = this.deps.clock.now();
    const w: WrapUpRun = {
      interaction,
      callId,
      startedAt: now,
      policy,
      deadline: policy.mode === 'time-boxed' ? now + policy.seconds * 1000 : null,
      extended: false,
      timer: null,
    };
    this.wrapUp = w;
    this.record('wrap-up', null, 'call-ended', callId);
    this.callId = null;
    if (w.deadline !== null) this.armWrapUpTimer(w);
    this.deps.logger.info('wrap-up started', { callId, mode: policy.mode, deadline: w.deadline });
  }

  private armWrapUpTimer(w: WrapUpRun): void {
    if (w.timer) this.deps.scheduler.clearTimeout(w.timer);
    if (w.deadline === null) return;
    w.timer = this.deps.scheduler.setTimeout(() => {
      w.timer = null;
      if (this.wrapUp !== w) return;
      const now = this.deps.clock.now();
      if (w.deadline !== null && now < w.deadline) {
        this.armWrapUpTimer(w);
        return;
      }
      try {
        this.completeWrapUp('auto', { disposition: this.defaultDisposition(w.policy), notes: '', customerId: undefined, linkTicketIds: [] });
        this.deps.logger.info('wrap-up completed by itself', { callId: w.callId });
      } catch (err) {
        this.deps.logger.error('automatic wrap-up failed', { callId: w.callId, error: (err as Error).message });
      }
    }, w.deadline - this.deps.clock.now());
  }

  private defaultDisposition(policy: WrapUpPolicy): string | null {
    const codes = dispositionCodes(policy.dispositions);
    if (codes.includes(policy.defaultDisposition)) return policy.defaultDisposition;
    this.deps.logger.warn('wrapup.defaultDisposition is not in wrapup.dispositions: using the first code', { configured: policy.defaultDisposition });
    return codes[0] ?? null;
  }

  /**
   * Writes the wrap-up (interaction revision, new ticket, links, follow-up: one transaction), then
   * moves the agent on unless a new call took over.
   */
  private completeWrapUp(completion: WrapUpCompletion, req: Pick<WrapUpSubmit, 'disposition' | 'notes' | 'customerId' | 'linkTicketIds'> & Partial<WrapUpSubmit>, opts: { move?: boolean } = {}): WrapUpResult {
    const w = this.wrapUp;
    if (!w) throw new AppError('ILLEGAL_TRANSITION', 'There is no wrap-up in progress', { entity: 'wrap-up' });
    const now = this.deps.clock.now();
    const head = this.deps.interactions.head(w.interaction.rootId) ?? w.interaction;
    const customerId = req.customerId !== undefined ? req.customerId : head.customerId;
    const touched: Ticket[] = [];
    const written = this.deps.db.transaction(() => {
      let ticket: Ticket | null = null;
      if (req.createTicket) {
        ticket = this.deps.tickets.createInTx({
          ...req.createTicket,
          customerId: req.createTicket.customerId !== undefined ? req.createTicket.customerId : customerId,
          interactionIds: [...req.createTicket.interactionIds, w.interaction.rootId],
        });
        touched.push(ticket);
      }
      for (const id of req.linkTicketIds) touched.push(this.deps.tickets.linkInTx(id, w.interaction.rootId));
      const task = req.followUp
        ? this.deps.tasks.createInTx({
            ...req.followUp,
            customerId: req.followUp.customerId !== undefined ? req.followUp.customerId : customerId,
            interactionId: req.followUp.interactionId ?? w.interaction.rootId,
            ticketId: req.followUp.ticketId ?? ticket?.id ?? null,
            phone: req.followUp.phone ?? (req.followUp.kind === 'callback' ? head.remoteNumber : null),
          })
        : null;
      const interaction = this.deps.interactions.reviseWithWrapUpInTx(w.interaction.rootId, {
        disposition: req.disposition ?? null,
        notes: req.notes ?? '',
        customerId,
        wrapUpMs: Math.max(0, now - w.startedAt),
        completion,
        ticketIds: [...(this.deps.linkedTickets?.(w.interaction.rootId) ?? []), ...touched.map((t) => t.id)],
      });
      return { ticket, task, interaction };
    })();
    if (w.timer) this.deps.scheduler.clearTimeout(w.timer);
    this.wrapUp = null;
    this.deps.interactions.logged(written.interaction);
    for (const t of touched) this.deps.tickets.changed(t);
    if (written.task) this.deps.tasks.changed(written.task);
    if (opts.move !== false && this.state === 'wrap-up') this.returnToAvailability(`wrap-up-${completion}`, w.callId);
    this.emit();
    return { ...written, agent: this.snapshot() };
  }

  /** Leaves call work for the pending choice, else the availability the agent had before. */
  private returnToAvailability(cause: string, callId: string | null): void {
    const to = this.pending ?? this.base;
    this.pending = null;
    this.base = to;
    this.record(to.state, to.reason, cause, callId);
    this.callId = null;
  }

  /** Validates and records one state change (event + outbox row in one transaction). */
  private record(to: AgentState, reason: string | null, cause: string | null, callId: string | null, opts: { force?: boolean } = {}): void {
    const from = this.state;
    if (!opts.force) transitionAgent(from, to);
    const now = this.deps.clock.now();
    const first = this.since === 0;
    const event: AgentStateEvent = {
      id: randomUUID(),
      agentId: this.agentId,
      fromState: first ? null : from,
      fromReason: first ? null : this.reason,
      toState: to,
      toReason: to === 'not-ready' ? reason : null,
      at: now,
      previousMs: first ? null : Math.max(0, now - this.since),
      callId,
      cause,
    };
    this.deps.db.transaction(() => {
      this.deps.states.insert(event);
      this.deps.outbox.append({ entity: 'agent-state-event', entityId: event.id, operation: 'create', baseVersion: null, payload: { record: event } });
    })();
    this.state = to;
    this.reason = event.toReason;
    this.since = now;
    this.deps.bus.emit(AgentStateRecorded, event);
  }

  private checkManual(state: ManualAgentState, reason: string | undefined): Availability {
    if (state !== 'not-ready') return { state, reason: null };
    if (!reason) throw new AppError('MISSING_FIELD', 'Choose a reason for not ready', { field: 'reason' });
    const codes = this.deps.config().notReadyReasons.map((r) => r.code);
    if (!codes.includes(reason) && reason !== MISSED_CALL_REASON && reason !== NO_PHONE_REASON) {
      throw new AppError('INVALID_PAYLOAD', `Unknown not-ready reason "${reason}"`, { field: 'reason', value: reason, allowed: codes });
    }
    return { state, reason };
  }

  private safeCustomer(call: CallSnapshot): number | null {
    try {
      return this.deps.customerFor(call);
    } catch (err) {
      this.deps.logger.warn('customer match failed', { callId: call.id, error: (err as Error).message });
      return null;
    }
  }

  private wrapUpSnapshot(w: WrapUpRun): WrapUpSnapshot {
    const head = w.interaction;
    return {
      interactionId: head.rootId,
      callId: w.callId,
      direction: head.direction ?? 'inbound',
      remoteNumber: head.remoteNumber ?? '',
      remoteName: head.remoteName ?? '',
      customerId: head.customerId,
      ticketIds: this.deps.linkedTickets?.(head.rootId) ?? [],
      mode: w.policy.mode,
      startedAt: w.startedAt,
      deadline: w.deadline,
      extended: w.extended,
      canExtend: w.deadline !== null && !w.extended,
      canSkip: canSkipWrapUp(w.policy),
      dispositionRequired: w.policy.dispositionRequired,
      notesRequired: w.policy.notesRequired,
      defaultDisposition: w.policy.defaultDisposition,
    };
  }

  private emit(): void {
    try {
      this.deps.emit(this.snapshot());
    } catch (err) {
      this.deps.logger.warn('agent state listener failed', { error: (err as Error).message });
    }
  }
}
