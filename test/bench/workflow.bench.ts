import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Interaction } from '../../shared/interaction/interaction';
import { tempDataDir } from '../helpers/hostProcess';
import { createWorkflowHarness } from '../helpers/workflowHarness';
import { report, summarise } from './harness';

// Data-side figures of the agent workflow on a real WAL database file (what the core runs on).
// The timeline's rendering and scroll frame times are measured by the renderer benchmark.
const dir = tempDataDir('calldesk-bench-workflow-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('agent workflow', () => {
  it('wrap-up save latency: disposition + notes + new ticket + follow-up in one transaction', () => {
    const h = createWorkflowHarness({ file: path.join(dir, 'wrapup.sqlite'), settings: { 'wrapup.mode': 'mandatory' } });
    const plain: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < 400; i++) {
      const id = h.phone.ring();
      h.phone.answer(id);
      h.clock.advance(30_000);
      h.phone.end(id);
      const withTicket = i % 2 === 1;
      const t0 = performance.now();
      h.workflow.agent.submitWrapUp({
        disposition: 'issue-resolved',
        notes: `Call ${i}: customer asked about the invoice`,
        linkTicketIds: [],
        ...(withTicket
          ? {
              createTicket: { type: 'complaint' as const, priority: 'P2' as const, category: 'billing', subject: `Invoice ${i}`, description: '', interactionIds: [] },
              followUp: { kind: 'callback' as const, title: 'Call back', notes: '', dueAt: h.clock.now() + 3600_000 },
            }
          : {}),
      });
      (withTicket ? full : plain).push(performance.now() - t0);
      expect(h.agent().state).toBe('ready');
    }
    report(summarise('wrap-up save (disposition + notes)', plain.slice(10)), summarise('wrap-up save (+ ticket + follow-up)', full.slice(10)));
    h.db.close();
  });

  it('customer timeline with 10,000 interactions: first page, count, paging', () => {
    const h = createWorkflowHarness({ file: path.join(dir, 'timeline.sqlite') });
    const t0 = performance.now();
    h.db.transaction(() => {
      for (let i = 0; i < 10_000; i++) h.workflow.interactions.addManual({ kind: i % 3 === 0 ? 'note' : 'email', customerId: 1, subject: `Subject ${i}`, notes: 'x'.repeat(200), occurredAt: 1_700_000_000_000 + i * 60_000 });
      for (let i = 0; i < 2_000; i++) h.workflow.interactions.addManual({ kind: 'note', customerId: 2 + (i % 50), subject: '', notes: '', occurredAt: 1_700_000_000_000 + i });
    })();
    const seedMs = performance.now() - t0;
    const firstPage: number[] = [];
    const card: number[] = [];
    for (let i = 0; i < 200; i++) {
      let t = performance.now();
      const page = h.workflow.interactions.list(1, 50);
      firstPage.push(performance.now() - t);
      expect(page.total).toBe(10_000);
      t = performance.now();
      h.workflow.interactions.list(1, 5);
      card.push(performance.now() - t);
    }
    const pages: number[] = [];
    let after: { occurredAt: number; id: string } | undefined;
    let seen = 0;
    for (;;) {
      const t = performance.now();
      const page: Interaction[] = h.workflow.interactions.list(1, 100, after).items;
      pages.push(performance.now() - t);
      seen += page.length;
      if (page.length < 100) break;
      after = { occurredAt: page.at(-1)!.occurredAt, id: page.at(-1)!.id };
    }
    expect(seen).toBe(10_000);
    report(
      summarise('timeline first page (50) + count, 10k contacts', firstPage),
      summarise('customer card (last 5 + count), 10k contacts', card),
      summarise('timeline next page (100, cursor)', pages),
    );
    process.stdout.write(`seeding 12,000 interactions with outbox rows: ${seedMs.toFixed(0)} ms\n`);
    h.db.close();
  });
});
