import type { MutationResult, SyncMutation } from '../../../shared/sync/protocol';
import { applyCustomer } from './customer';
import { applyInsertOnly } from './insertOnly';
import type { Applied, Run } from './run';
import { applyTask } from './task';
import { applyTicket } from './ticket';

/**
 * Applies one mutation with its entity's rules (one file per entity in this folder); `known` is the
 * server version the desktop knew (tickets, tasks).
 */
export async function applyMutation(run: Run, m: SyncMutation, result: MutationResult): Promise<Applied> {
  switch (m.entity) {
    case 'interaction':
    case 'agent-state-event':
      return { outcome: await applyInsertOnly(run, m, result), known: null };
    case 'ticket':
      return applyTicket(run, m);
    case 'task':
      return applyTask(run, m);
    case 'customer':
      return { outcome: await applyCustomer(run, m), known: null };
  }
}
