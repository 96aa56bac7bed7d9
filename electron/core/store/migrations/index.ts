import type { Migration } from '../migration';
import { m001Settings } from './001_settings';
import { m002Customers } from './002_customers';
import { m003CustomerSearch } from './003_customer_search';
import { m010Interactions } from './010_interactions';
import { m011AgentStateEvents } from './011_agent_state_events';
import { m012Tickets } from './012_tickets';
import { m013Tasks } from './013_tasks';
import { m014Outbox } from './014_outbox';
import { m015CustomerServerIds } from './015_customer_server_ids';
import { m016TicketPendingSince } from './016_ticket_pending_since';
import { m017InteractionDtmf } from './017_interaction_dtmf';
import { m018CustomerInsight } from './018_customer_insight';

/** All migrations in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [m001Settings, m002Customers, m003CustomerSearch, m010Interactions, m011AgentStateEvents, m012Tickets, m013Tasks, m014Outbox, m015CustomerServerIds, m016TicketPendingSince, m017InteractionDtmf, m018CustomerInsight];
