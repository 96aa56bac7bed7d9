import type { ServerMigration } from '../migrate';
import { m001Initial } from './001_initial';
import { m002TicketPendingSince } from './002_ticket_pending_since';
import { m003SyncIdentityAndLoginSweep } from './003_sync_identity_and_login_sweep';
import { m004Queues } from './004_queues';
import { m005SipAccounts } from './005_sip_accounts';
import { m006QueueLogin } from './006_queue_login';
import { m007CustomerInsight } from './007_customer_insight';

/** Every server migration, in order. Append only; never edit a shipped one. */
export const SERVER_MIGRATIONS: readonly ServerMigration[] = [m001Initial, m002TicketPendingSince, m003SyncIdentityAndLoginSweep, m004Queues, m005SipAccounts, m006QueueLogin, m007CustomerInsight];
