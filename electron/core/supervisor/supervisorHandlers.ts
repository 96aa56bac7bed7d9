import type { InvokeHandlers } from '../../../shared/api/contract';
import { liveBoardSchema, type supervisorInvokeChannels } from '../../../shared/supervisor/api';
import type { Report } from '../../../shared/kpi/report';

/**
 * The supervisor channels: reads from the central server, which checks the role and the scope
 * (an agent gets FORBIDDEN). Board deltas arrive on the real-time channel (`syncModule`).
 */
export function supervisorHandlers(deps: { serverGet: (path: string) => Promise<unknown> }): Pick<InvokeHandlers, keyof typeof supervisorInvokeChannels> {
  return {
    'supervisor:board': async () => liveBoardSchema.parse(await deps.serverGet('/supervisor/board')),
    'supervisor:report': async (q) => {
      const params = new URLSearchParams({ from: String(q.from), to: String(q.to), grain: q.grain, by: q.by, queues: q.queues.join(',') });
      return (await deps.serverGet(`/supervisor/report?${params.toString()}`)) as Report;
    },
  };
}
