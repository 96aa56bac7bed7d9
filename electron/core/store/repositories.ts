import type Database from 'better-sqlite3';
import { AgentStateRepository } from '../agent/agentStateRepository';
import type { CoreBus } from '../bus/coreBus';
import { CustomerRepository } from '../customer/customerRepository';
import { InsightRepository } from '../insight/insightRepository';
import { InteractionRepository } from '../interaction/interactionRepository';
import { OutboxRepository } from '../outbox/outboxRepository';
import { TaskRepository } from '../task/taskRepository';
import { TicketRepository } from '../ticket/ticketRepository';
import { MetaStore } from './metaStore';
import { SettingsRepository } from './settingsRepository';

/** Every repository of the local database, built once per database by the composition root. */
export interface Repositories {
  readonly settings: SettingsRepository;
  readonly meta: MetaStore;
  readonly outbox: OutboxRepository;
  readonly customers: CustomerRepository;
  readonly interactions: InteractionRepository;
  readonly tickets: TicketRepository;
  readonly tasks: TaskRepository;
  readonly agentStates: AgentStateRepository;
  /** Customer insight pulled from the server. */
  readonly insight: InsightRepository;
}

/**
 * Builds each repository once over `db`. Modules and the server mirror receive these; none builds
 * its own (so prepared statements, the outbox's client id and its `OutboxAppended` burst
 * are shared). `bus` receives the outbox's appended events; `now` stamps rows.
 */
export function createRepositories(db: Database.Database, opts: { now: () => number; bus?: CoreBus }): Repositories {
  return {
    settings: new SettingsRepository(db, opts.now),
    meta: new MetaStore(db),
    outbox: new OutboxRepository(db, opts.now, opts.bus),
    customers: new CustomerRepository(db),
    interactions: new InteractionRepository(db),
    tickets: new TicketRepository(db),
    tasks: new TaskRepository(db),
    agentStates: new AgentStateRepository(db),
    insight: new InsightRepository(db),
  };
}
