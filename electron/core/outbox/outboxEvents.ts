import { coreEvent } from '../bus/coreBus';

/**
 * Outbox rows were appended and their transaction has finished: the moment to push. One event per
 * burst of synchronous work (an import of thousands of rows in one transaction is one event);
 * `count` is how many rows were appended. A transaction that rolled back causes one idle push
 * attempt, never a lost one.
 */
export const OutboxAppended = coreEvent<{ count: number }>('outbox.appended');
