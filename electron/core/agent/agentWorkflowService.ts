import type { AgentSnapshot, WrapUpSubmit } from '../../../shared/agent/api';
import { MISSED_CALL_REASON, NO_PHONE_REASON, isCallState, type AgentStateEvent, type ManualAgentState } from '../../../shared/agent/state';
import { AppError, assertNever } from '../../../shared/api/result';
import type { CallSnapshot } from '../../../shared/phone/call';
import { canSkipWrapUp, checkWrapUpAnswer } from '../../../shared/agent/wrapup';
import type { CoreEvent } from '../bus/coreBus';
import { CallAnswered, CallDialing, CallEnded, CallHeld, CallResumed, CallRinging, type CallEventBase } from '../phone/callEvents';
import type { Availability, CallTrack, WrapUpResult } from './agentWorkflowTypes';
import { AgentStateCore } from './agentStateCore';

export type { AgentWorkflowDeps, CallControl, WorkflowConfig, WrapUpResult } from './agentWorkflowTypes';

/**
 * Drives the agent state from the phone and the agent's choices: ringing and on-call follow the
 * phone's call lifecycle events (see {@link connect}), every call is logged when it ends (durations from the SIP timestamps),
 * wrap-up starts after an answered call (time-boxed wrap-ups complete by themselves with the
 * default disposition), a missed ring moves the agent to not-ready(missed-call) when configured,
 * and every state change is recorded as an event (one transaction with its outbox row).
 */
export class AgentWorkflowService extends AgentStateCore {
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

  /** Pushes the snapshot again after something it reads changed outside this service (the signed-in user). */
  announce(): void {
    this.emit();
  }

  /** Stops timers. */
  stop(): void {
    if (this.wrapUp?.timer) this.deps.scheduler.clearTimeout(this.wrapUp.timer);
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
  protected track(call: CallSnapshot): CallTrack {
    let track = this.calls.get(call.id);
    if (!track) this.calls.set(call.id, (track = { last: call, answered: false, ended: false, rejectedByUs: false }));
    track.last = call;
    return track;
  }

  protected ringing(call: CallSnapshot, track: CallTrack): void {
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
  protected onCallWork(callId: string): void {
    if (this.state === 'on-call') return;
    if (this.wrapUp) this.completeWrapUp('interrupted', { disposition: null, notes: '', customerId: undefined, linkTicketIds: [] }, { move: false });
    this.record('on-call', null, 'call', callId);
    this.callId = callId;
    this.emit();
  }

  protected callEnded(call: CallSnapshot, track: CallTrack): void {
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

  protected safeCustomer(call: CallSnapshot): number | null {
    try {
      return this.deps.customerFor(call);
    } catch (err) {
      this.deps.logger.warn('customer match failed', { callId: call.id, error: (err as Error).message });
      return null;
    }
  }
}
