import type Database from 'better-sqlite3';
import type { InvokeHandlers } from '../../../shared/api/contract';
import { AppError } from '../../../shared/api/result';
import type { agentInvokeChannels } from '../../../shared/agent/api';
import type { QualitySummary } from '../../../shared/phone/quality';
import type { interactionInvokeChannels } from '../../../shared/interaction/api';
import type { taskInvokeChannels } from '../../../shared/task/api';
import type { ticketInvokeChannels } from '../../../shared/ticket/api';
import { dispositionCodes } from '../../../shared/agent/wrapup';
import type { Clock, Notifier } from '../adapters';
import type { CoreBus } from '../bus/coreBus';
import { CallCustomers } from '../customer/callCustomers';
import type { SettingsService } from '../config/settingsService';
import type { CoreEvents } from '../events';
import { InteractionService } from '../interaction/interactionService';
import type { Logger } from '../log/logger';
import type { OutboxRepository } from '../outbox/outboxRepository';
import type { Repositories } from '../store/repositories';
import { TaskService } from '../task/taskService';
import { TicketService } from '../ticket/ticketService';
import { AgentWorkflowService, type CallControl, type WorkflowConfig } from './agentWorkflowService';
import { CallTicketLinks } from './callTicketLinks';
import { systemScheduler, type Scheduler } from '../adapters/scheduler';

/** The agent, wrap-up, interaction, ticket and task channels of the contract. */
export type WorkflowChannel = keyof typeof agentInvokeChannels | keyof typeof interactionInvokeChannels | keyof typeof ticketInvokeChannels | keyof typeof taskInvokeChannels;

/** Everything the workflow domain needs from the core. */
export interface WorkflowModuleDeps {
  db: Database.Database;
  settings: SettingsService;
  clock: Clock;
  events: CoreEvents;
  /** The core bus: the phone's call lifecycle events drive the agent state. */
  bus: CoreBus;
  notifier: Notifier;
  logger: Logger;
  /** The repositories (built once by the composition root). */
  repos: Pick<Repositories, 'outbox' | 'interactions' | 'tickets' | 'tasks' | 'agentStates'>;
  /** Call control for busy rejects (the phone). */
  calls: CallControl;
  /** The customer of each call: the core's one owner, built once by the composition root. */
  callCustomers: CallCustomers;
  /** Records the contact time on the customer (last contact). */
  touchCustomer?: (customerId: number, at: number) => void;
  /** The quality summary of a call (the call-quality service), stored on its record. */
  qualityFor?: (callId: string) => QualitySummary | null;
  scheduler?: Scheduler;
  /** The user signed in to the central server, if any. */
  signedInUser?: () => string | null;
}

/** The workflow domain as the composition root wires it. */
export interface WorkflowModule {
  readonly agent: AgentWorkflowService;
  readonly interactions: InteractionService;
  readonly tickets: TicketService;
  readonly tasks: TaskService;
  readonly outbox: OutboxRepository;
  /** The invoke handlers of the workflow channels. */
  handlers(): Pick<InvokeHandlers, WorkflowChannel>;
  /** Subscribes to the call lifecycle events, restores the agent state and starts reminders. */
  start(): void;
  stop(): void;
}

/**
 * The agent id: the user signed in to the central server (so tickets and interactions carry the
 * same id on every desktop), else `agent.id`, else the user part of `sip.uri`, else `agent`.
 */
export function effectiveAgentId(settings: SettingsService, signedInUser: string | null = null): string {
  if (signedInUser) return signedInUser;
  const configured = settings.get('agent.id');
  if (configured) return configured;
  const m = /^sips?:([^@;]+)@/i.exec(settings.get('sip.uri'));
  return m?.[1] ?? 'agent';
}

/**
 * Builds the agent workflow: interaction log, tickets, tasks, outbox and the agent state machine
 * driven by the phone's call lifecycle events. Settings are read live at each decision.
 */
export function createWorkflowModule(deps: WorkflowModuleDeps): WorkflowModule {
  const { db, settings, clock, events } = deps;
  const scheduler = deps.scheduler ?? systemScheduler;
  const agentId = () => effectiveAgentId(settings, deps.signedInUser?.() ?? null);
  const { outbox, interactions: interactionRepo } = deps.repos;
  const { callCustomers } = deps;

  // Built after the ticket service; the interaction service needs it when a call is logged.
  let callTickets: CallTicketLinks | null = null;
  const interactions = new InteractionService({
    db,
    repo: interactionRepo,
    outbox,
    clock,
    agentId,
    isDisposition: (code) => dispositionCodes(settings.get('wrapup.dispositions')).includes(code),
    onLogged: (entry) => {
      callTickets?.onLogged(entry);
      // Last contact first: the UI re-reads the customer when it hears of the entry. A customer
      // picked in the wrap-up counts as contacted too.
      if (entry.customerId !== null && (entry.revisionKind === 'original' || entry.revisionKind === 'wrap-up')) deps.touchCustomer?.(entry.customerId, entry.occurredAt);
      events.emit('interaction:logged', entry);
    },
    logger: deps.logger.child('interactions'),
  });
  const tickets = new TicketService({
    db,
    repo: deps.repos.tickets,
    outbox,
    clock,
    agentId,
    policy: () => ({
      slaRules: settings.get('tickets.slaRules'),
      categories: settings.get('tickets.categories'),
      requireResolution: settings.get('tickets.requireResolution'),
      requireSatisfaction: settings.get('tickets.requireSatisfaction'),
    }),
    interaction: (id) => interactionRepo.get(id),
    onChanged: (t) => events.emit('ticket:changed', t),
    logger: deps.logger.child('tickets'),
  });
  callTickets = new CallTicketLinks({ db, tickets, interactions, logger: deps.logger.child('tickets') });
  const tasks = new TaskService({
    db,
    repo: deps.repos.tasks,
    outbox,
    clock,
    scheduler,
    notifier: deps.notifier,
    agentId,
    onChanged: (t) => events.emit('task:changed', t),
    onReminder: (t) => events.emit('task:reminder', t),
    logger: deps.logger.child('tasks'),
  });

  const config = (): WorkflowConfig => ({
    agentId: agentId(),
    notReadyReasons: settings.get('agent.notReadyReasons'),
    missedRingNotReady: settings.get('agent.missedRingNotReady'),
    notReadyInbound: settings.get('agent.notReadyInbound'),
    queueHeader: settings.get('agent.queueHeader'),
    localNumber: settings.get('sip.uri') || null,
    phoneConfigured: settings.get('sip.uri') !== '' && settings.get('sip.server') !== '',
    wrapUp: {
      mode: settings.get('wrapup.mode'),
      seconds: settings.get('wrapup.seconds'),
      extendSeconds: settings.get('wrapup.extendSeconds'),
      dispositionRequired: settings.get('wrapup.dispositionRequired'),
      notesRequired: settings.get('wrapup.notesRequired'),
      defaultDisposition: settings.get('wrapup.defaultDisposition'),
      dispositions: settings.get('wrapup.dispositions'),
    },
  });

  const agent = new AgentWorkflowService({
    db,
    states: deps.repos.agentStates,
    outbox,
    interactions,
    tickets,
    tasks,
    clock,
    scheduler,
    config,
    calls: deps.calls,
    customerFor: (call) => callCustomers.customerId(call),
    linkedTickets: (rootId) => tickets.linkedTo(rootId),
    qualityFor: (callId) => deps.qualityFor?.(callId) ?? null,
    emit: (snapshot) => events.emit('agent:state', snapshot),
    bus: deps.bus,
    logger: deps.logger.child('agent'),
  });

  const unsubscribes: (() => void)[] = [];

  return {
    agent,
    interactions,
    tickets,
    tasks,
    outbox,
    start() {
      agent.start();
      tasks.start();
      unsubscribes.push(agent.connect());
    },
    stop() {
      for (const u of unsubscribes.splice(0)) u();
      agent.stop();
      tasks.stop();
    },
    handlers: () => ({
      'agent:state': () => agent.snapshot(),
      'agent:set-state': ({ state, reason }) => agent.setState(state, reason),
      'wrapup:submit': (req) => agent.submitWrapUp(req),
      'wrapup:extend': () => agent.extendWrapUp(),
      'interaction:list': ({ customerId, limit, after }) => interactions.list(customerId, limit, after),
      'interaction:get': ({ id }) => interactions.get(id),
      'interaction:add': (req) => interactions.addManual(req),
      'interaction:correct': (req) => interactions.correct(req),
      'ticket:draft': ({ callId, interactionId }) => {
        const entry = interactionId ?? (callId ? interactions.forCall(callId)?.rootId : undefined);
        if (!entry) throw new AppError('NOT_FOUND', `The call ${callId ?? ''} is not logged yet`);
        return tickets.draftFromInteraction(entry);
      },
      'ticket:create': (req) => callTickets!.create(req),
      'ticket:update': (req) => tickets.update(req),
      'ticket:transition': (req) => tickets.transition(req),
      'ticket:list': (req) => tickets.list(req),
      'ticket:get': ({ id }) => tickets.get(id),
      'task:create': (req) => tasks.create(req),
      'task:list': (req) => tasks.list(req),
      'task:complete': (req) => tasks.complete(req),
    }),
  };
}
