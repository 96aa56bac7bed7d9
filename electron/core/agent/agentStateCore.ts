import { randomUUID } from 'node:crypto';
import type { AgentSnapshot, WrapUpSubmit } from '../../../shared/agent/api';
import { MISSED_CALL_REASON, NO_PHONE_REASON, transitionAgent, type AgentState, type AgentStateEvent, type ManualAgentState, type PendingAgentState } from '../../../shared/agent/state';
import { AppError } from '../../../shared/api/result';
import type { Interaction } from '../../../shared/interaction/interaction';
import type { Ticket } from '../../../shared/ticket/ticket';
import { canSkipWrapUp, dispositionCodes, type WrapUpCompletion, type WrapUpPolicy, type WrapUpSnapshot } from '../../../shared/agent/wrapup';
import { AgentStateRecorded } from './agentEvents';
import type { AgentWorkflowDeps, Availability, CallTrack, WrapUpRun, WrapUpResult } from './agentWorkflowTypes';

/**
 * The lower layer of {@link AgentWorkflowService}: the agent's state, recording each change (event
 * + outbox row in one transaction, then {@link AgentStateRecorded}), and the wrap-up run (start,
 * timer, completion in one transaction). The service adds the agent's choices and the call events.
 */
export abstract class AgentStateCore {
  protected state: AgentState = 'logged-out';
  protected reason: string | null = null;
  protected since = 0;
  protected base: Availability = { state: 'logged-out', reason: null };
  protected pending: PendingAgentState | null = null;
  protected callId: string | null = null;
  protected wrapUp: WrapUpRun | null = null;
  /** The first answered call of the current call work: the one wrap-up is for. */
  protected cycleCall: { callId: string } | null = null;
  protected readonly calls = new Map<string, CallTrack>();

  constructor(protected readonly deps: AgentWorkflowDeps) {}

  /** The agent id in force (read live: it follows `agent.id` and the SIP account). */
  protected get agentId(): string {
    return this.deps.config().agentId;
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

  protected startWrapUp(interaction: Interaction, callId: string): void {
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

  protected armWrapUpTimer(w: WrapUpRun): void {
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

  protected defaultDisposition(policy: WrapUpPolicy): string | null {
    const codes = dispositionCodes(policy.dispositions);
    if (codes.includes(policy.defaultDisposition)) return policy.defaultDisposition;
    this.deps.logger.warn('wrapup.defaultDisposition is not in wrapup.dispositions: using the first code', { configured: policy.defaultDisposition });
    return codes[0] ?? null;
  }

  /**
   * Writes the wrap-up (interaction revision, new ticket, links, follow-up: one transaction), then
   * moves the agent on unless a new call took over.
   */
  protected completeWrapUp(completion: WrapUpCompletion, req: Pick<WrapUpSubmit, 'disposition' | 'notes' | 'customerId' | 'linkTicketIds'> & Partial<WrapUpSubmit>, opts: { move?: boolean } = {}): WrapUpResult {
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
  protected returnToAvailability(cause: string, callId: string | null): void {
    const to = this.pending ?? this.base;
    this.pending = null;
    this.base = to;
    this.record(to.state, to.reason, cause, callId);
    this.callId = null;
  }

  /** Validates and records one state change (event + outbox row in one transaction). */
  protected record(to: AgentState, reason: string | null, cause: string | null, callId: string | null, opts: { force?: boolean } = {}): void {
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

  protected checkManual(state: ManualAgentState, reason: string | undefined): Availability {
    if (state !== 'not-ready') return { state, reason: null };
    if (!reason) throw new AppError('MISSING_FIELD', 'Choose a reason for not ready', { field: 'reason' });
    const codes = this.deps.config().notReadyReasons.map((r) => r.code);
    if (!codes.includes(reason) && reason !== MISSED_CALL_REASON && reason !== NO_PHONE_REASON) {
      throw new AppError('INVALID_PAYLOAD', `Unknown not-ready reason "${reason}"`, { field: 'reason', value: reason, allowed: codes });
    }
    return { state, reason };
  }

  protected wrapUpSnapshot(w: WrapUpRun): WrapUpSnapshot {
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

  protected emit(): void {
    try {
      this.deps.emit(this.snapshot());
    } catch (err) {
      this.deps.logger.warn('agent state listener failed', { error: (err as Error).message });
    }
  }
}
