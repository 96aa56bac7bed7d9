import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/createCore';
import { OutboxAppended } from '../../../electron/core/outbox/outboxEvents';
import { createFakeClock } from '../../fakes/fakeClock';
import { createTestCore } from '../../helpers/testCore';

// The composition root: one set of repositories, one scheduler reaching every service.

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

describe('createCore', () => {
  it('builds each repository once: the workflow, customers and sync share one outbox, which announces every committed change', async () => {
    core = (await createTestCore()).core;
    expect(core.workflow.outbox).toBe(core.repos.outbox);
    expect(core.customers.service.repository).toBe(core.repos.customers);
    const appended: number[] = [];
    core.bus.on(OutboxAppended, (e) => void appended.push(e.count));
    core.customers.service.save({ name: 'Zhang Wei', phones: [{ raw: '138 0013 8000' }] });
    core.workflow.agent.setState('not-ready', core.settings.get('agent.notReadyReasons')[0]!.code);
    await Promise.resolve();
    // Both changes (a customer and an agent state) went through the one outbox in one burst.
    expect(appended).toEqual([2]);
    expect(core.repos.outbox.unsent().map((e) => e.entity)).toEqual(expect.arrayContaining(['customer', 'agent-state-event']));
  });

  it('the injected scheduler reaches the media channel: a request to a silent media engine times out on the fake clock', async () => {
    const clock = createFakeClock(Date.now());
    core = (await createTestCore({ adapters: { clock, scheduler: clock } })).core;
    core.phone.media.ready('renderer-1');
    let failed: Error | null = null;
    void core.phone.media.getDescription('call-1', {}, []).catch((err: Error) => void (failed = err));
    await new Promise((r) => setImmediate(r));
    expect(failed).toBeNull();
    clock.advance(60_000);
    await new Promise((r) => setImmediate(r));
    expect(failed).toMatchObject({ code: 'TIMEOUT' });
  });
});
