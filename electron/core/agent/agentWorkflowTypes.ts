import type Database from 'better-sqlite3';
import type { AgentSnapshot } from '../../../shared/agent/api';
import type { ManualAgentState, NotReadyInbound, NotReadyReason } from '../../../shared/agent/state';
import type { CallSnapshot } from '../../../shared/phone/call';
import type { QualitySummary } from '../../../shared/phone/quality';
import type { Interaction } from '../../../shared/interaction/interaction';
import type { WrapUpPolicy } from '../../../shared/agent/wrapup';
import type { Clock } from '../adapters';
import type { CoreBus } from '../bus/coreBus';
import type { InteractionService } from '../interaction/interactionService';
import type { Logger } from '../log/logger';
import type { OutboxRepository } from '../outbox/outboxRepository';
import type { TaskService } from '../task/taskService';
import type { TicketService } from '../ticket/ticketService';
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
export interface Availability {
  state: ManualAgentState;
  reason: string | null;
}

/** What the service remembers about one live call (dropped when it ends). */
export interface CallTrack {
  last: CallSnapshot;
  answered: boolean;
  ended: boolean;
  /** We rejected it because the agent was not ready (reject-busy). */
  rejectedByUs: boolean;
}

/** The wrap-up in progress. */
export interface WrapUpRun {
  interaction: Interaction;
  callId: string;
  startedAt: number;
  policy: WrapUpPolicy;
  deadline: number | null;
  extended: boolean;
  timer: TimerHandle | null;
}

/** What `wrapup:submit` answers: the contract schema's inferred type. */
export type { WrapUpResult } from '../../../shared/agent/api';
