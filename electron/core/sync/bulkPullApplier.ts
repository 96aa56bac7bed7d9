import type { PullChange } from '../../../shared/sync/protocol';
import type { Clock } from '../adapters';
import type { CustomerRows } from '../customer/customerWriteRows';
import { customerRows } from '../customer/customerWriteRows';
import type { CustomerService } from '../customer/customerService';
import type { Logger } from '../log/logger';
import type { MetaStore } from '../store/metaStore';
import type { BulkCustomerWriter } from './bulkCustomerWriter';
import { DEFERRED_CUSTOMERS_KEY } from './serverMirror';

/** Customer upserts a page needs for the bulk path (smaller pages: the careful path, one slice at a time). */
export const BULK_MIN_CUSTOMERS = 200;
/** Records prepared (or applied the careful way) between two turns of the event loop. */
const SLICE = 250;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How the engine hands a pulled page over (see {@link BulkPullApplier.applyPage}). */
export interface PageHandover {
  /** True for the last page of this pull (the writer thread is released after it). */
  last: boolean;
  /** True once sync is stopping: nothing more is started. */
  stopped: () => boolean;
  /** Records the page as applied (the pull cursor); runs after the page is written, before the next one starts. */
  commit: () => void;
}

/** What the applier needs. */
export interface BulkPullApplierDeps {
  customers: CustomerService;
  meta: MetaStore;
  clock: Clock;
  logger: Logger;
  /** The careful path ({@link ServerMirror.applyPulled}): one transaction per call. */
  applyCareful: (changes: PullChange[]) => void;
  /** Opens the writer (a worker thread with its own connection where possible). */
  openWriter: () => Promise<BulkCustomerWriter>;
}

/**
 * Applies pulled pages the fast way when they bring many new customers (a first sync of a
 * million): each customer is validated once and turned into rows in this thread, in slices with
 * the event loop free between them; the rows of a page are then written in one transaction by a
 * writer thread with its own connection (WAL: searches keep answering on this thread), while
 * this thread prepares the next page. A customer whose code or server id is already taken
 * locally, a record that fails validation (logged with its reason by the careful path), and every
 * other change (tickets, tasks, removals, configuration) go through the careful path after the
 * page's bulk write, in page order: one bad record never holds back the others. The cursor is
 * committed only after both, so a kill mid-sync re-pulls the page, whose customers are then found
 * bound and adopted as unchanged.
 */
export class BulkPullApplier {
  private writer: Promise<BulkCustomerWriter> | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private nextBatch = 1;

  constructor(private readonly deps: BulkPullApplierDeps) {}

  /**
   * Prepares `changes` (resolves when this thread's share is done) and queues their write; the
   * returned promise settles once the page is written and committed (false: sync stopped first).
   * Pages are written in the order given.
   */
  async applyPage(changes: PullChange[], how: PageHandover): Promise<{ written: Promise<boolean> }> {
    const upserts = changes.reduce((n, c) => n + (c.entity === 'customer' && c.op === 'upsert' ? 1 : 0), 0);
    const bulk = upserts >= BULK_MIN_CUSTOMERS && this.deps.meta.getJson<unknown[]>(DEFERRED_CUSTOMERS_KEY, []).length === 0;
    const sources: number[] = [];
    /** Indexes into `sources` of records refused by validation (logged, written nowhere). */
    const invalid = new Set<number>();
    const batch = this.nextBatch++;
    if (bulk) {
      const writer = await (this.writer ??= this.deps.openWriter());
      const now = this.deps.clock.now();
      for (let start = 0; start < changes.length; start += SLICE) {
        if (how.stopped()) {
          writer.discard(batch);
          return { written: Promise.resolve(false) };
        }
        const rows: CustomerRows[] = [];
        for (let i = start; i < Math.min(changes.length, start + SLICE); i++) {
          const c = changes[i]!;
          if (c.entity !== 'customer' || c.op !== 'upsert') continue;
          try {
            const { serverId, record } = this.deps.customers.serverRecord(c.record);
            rows.push(customerRows(record, now, serverId));
            sources.push(i);
          } catch (err) {
            // The careful path would refuse it for the same reason (it validates the same way).
            this.deps.logger.warn('pulled change skipped', { entity: c.entity, id: c.id, error: (err as Error).message });
            sources.push(i);
            invalid.add(sources.length - 1);
          }
        }
        if (rows.length > 0) writer.stage(batch, rows);
        await yieldToEventLoop();
      }
    }
    const written = this.chain.then(() => this.write(changes, batch, sources, invalid, how));
    this.chain = written.catch(() => undefined);
    return { written };
  }

  private async write(changes: PullChange[], batch: number, sources: number[], invalid: Set<number>, how: PageHandover): Promise<boolean> {
    try {
      const done = new Set<number>();
      if (sources.length > 0 && this.writer) {
        const writer = await this.writer;
        if (how.stopped()) {
          writer.discard(batch);
          return false;
        }
        const { skipped } = await writer.write(batch);
        // Staged rows are the valid sources, in order: map the writer's indexes back to the page.
        const valid = sources.filter((_, k) => !invalid.has(k));
        const notWritten = new Set(skipped.map((s) => valid[s.index]!));
        for (const pos of sources) if (!notWritten.has(pos)) done.add(pos);
        for (const s of skipped) if (s.error) this.deps.logger.info('bulk write refused a customer: storing it the careful way', { id: changes[valid[s.index]!]!.id, error: s.error });
      } else if (how.stopped()) {
        return false;
      }
      const rest = done.size === 0 ? changes : changes.filter((_, i) => !done.has(i));
      for (let start = 0; start < rest.length; start += SLICE) {
        if (start > 0) await yieldToEventLoop();
        if (how.stopped()) return false;
        this.deps.applyCareful(rest.slice(start, start + SLICE));
      }
      how.commit();
      return true;
    } catch (err) {
      await this.release();
      throw err;
    } finally {
      if (how.last || how.stopped()) await this.release();
    }
  }

  /** Closes the writer thread (after the last page, on stop, and after a failure). */
  async release(): Promise<void> {
    const w = this.writer;
    this.writer = null;
    if (w) await (await w.catch(() => null))?.close();
  }
}
