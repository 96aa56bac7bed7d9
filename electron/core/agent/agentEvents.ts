import type { AgentStateEvent } from '../../../shared/agent/state';
import { coreEvent } from '../bus/coreBus';

/** An agent state change was recorded (its row and outbox row committed). Once per change. */
export const AgentStateRecorded = coreEvent<AgentStateEvent>('agent.state-recorded');
