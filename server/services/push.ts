import type { SlaRule } from '../../shared/ticket/ticket';
import type { MutationResult, PushRequest, PushResponse, SyncMutation } from '../../shared/sync/protocol';
import type { Db, Queryable } from '../db/db';
import type { Principal } from '../auth/tokens';
import type { Logger } from '../log';
import { applyMutation } from './apply/dispatch';
import { flushInserts } from './apply/insertOnly';
import { clientVersionOf, rejected, type Run } from './apply/run';
import { stampChanges, Touched } from './changes';
import { unstorableMessage, unstorableValue } from './pushChecks';
import { claimClient, fingerprintOf, storedResults } from './syncClients';
import { cleanText } from '../../shared/sync/safeValues';
import type { ConfigService } from './configService';
import { Visibility } from './scope';

/** Points inside a push where tests inject crashes (kill the process). */
export type PushFaultPoint = 'push:applied' | 'push:committed';

/** Options of the push service. */
export interface PushServiceOptions {
  db: Db;
  config: ConfigService;
  logger: Logger;
  now?: () => number;
  /** Called at fault points (tests only): may kill the process. */
  fault?: (point: PushFaultPoint) => void | Promise<void>;
}

/** SQLSTATE classes that mean "this data cannot be stored" (22 data exception, 23 integrity). */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/**
 * Applies desktop outbox batches exactly once.
 *
 * One push is one transaction. The client's row in `sync_clients` is locked first (a duplicate
 * delivery of the same batch waits, then finds it done). Mutations are taken in sequence order:
 * - seq <= high-water: already done; the stored result is answered again (`duplicate: true`);
 * - seq = high-water + 1: applied, its result stored in `sync_results`, high-water advanced;
 * - seq > high-water + 1: an earlier one is missing: answered `retry` (nothing stored).
 * The results and the new high-water are written in the same transaction as the changes, so a
 * crash anywhere before commit leaves nothing, and a crash after commit leaves everything: the
 * retry then gets the stored answers.
 *
 * Round trips are what a push costs, so the common path batches: insert-only entries go in one
 * multi-row INSERT, results and high-water in one statement, change ids and the notification in
 * one. When the database refuses some data (SQLSTATE class 22/23, e.g. a NUL byte) the whole
 * transaction is redone with a savepoint per mutation, so only the offending mutation is rejected.
 *
 * The rules of each entity live in `apply/` (one file per entity, `apply/dispatch.ts` picks one).
 */
export class PushService {
  private readonly now: () => number;

  constructor(private readonly opts: PushServiceOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Applies one batch for `principal`. */
  async push(principal: Principal, req: PushRequest): Promise<{ response: PushResponse; latest: number }> {
    const byseq = new Map<number, SyncMutation>();
    for (const m of [...req.mutations].sort((a, b) => a.seq - b.seq)) if (!byseq.has(m.seq)) byseq.set(m.seq, m);
    const mutations = [...byseq.values()];
    let out: { response: PushResponse; latest: number };
    try {
      out = await this.opts.db.transaction((tx) => this.run(tx, principal, req.clientId, mutations, false));
    } catch (err) {
      if (!isDataError(err)) throw err;
      this.opts.logger.info('push redone with savepoints after a data error', { clientId: req.clientId, error: (err as Error).message });
      out = await this.opts.db.transaction((tx) => this.run(tx, principal, req.clientId, mutations, true));
    }
    await this.opts.fault?.('push:committed');
    return out;
  }

  private async run(tx: Queryable, principal: Principal, clientId: string, mutations: SyncMutation[], careful: boolean): Promise<{ response: PushResponse; latest: number }> {
    const now = this.now();
    const start = await claimClient(tx, clientId, principal, now);
    let hw = start;
    const stored = await storedResults(
      tx,
      clientId,
      mutations.filter((m) => m.seq <= start),
    );
    let vis: Promise<Visibility> | null = null;
    let sla: Promise<SlaRule[]> | null = null;
    const run: Run = {
      tx,
      principal,
      clientId,
      now,
      careful,
      touched: new Touched(),
      known: new Map(),
      interactions: [],
      stateEvents: [],
      customerIds: new Map(),
      visibility: () => (vis ??= this.opts.config.scopes(tx).then((s) => Visibility.of(principal, s, tx))),
      slaRules: () => (sla ??= this.opts.config.slaRules(tx)),
    };
    const results: MutationResult[] = [];
    const fresh: Array<{ m: SyncMutation; r: MutationResult; known: number | null }> = [];
    for (const m of mutations) {
      // An id the database cannot hold is answered (and remembered) cleaned; the mutation is refused below.
      const head = { seq: m.seq, entity: m.entity, entityId: cleanText(m.entityId) };
      if (m.seq <= start) {
        const prev = stored.get(m.seq);
        results.push(prev ? { ...prev, duplicate: true } : { ...head, status: 'rejected', reason: 'gap', message: 'This sequence number was acknowledged before without a stored result', duplicate: true });
        continue;
      }
      if (m.seq !== hw + 1) {
        results.push({ ...head, status: 'retry', reason: 'gap', message: `Sequence ${hw + 1} is missing: push again from there` });
        continue;
      }
      const r: MutationResult = { ...head, status: 'applied' };
      let known: number | null = null;
      const unstorable = unstorableValue(m);
      if (unstorable) {
        Object.assign(r, rejected('invalid', unstorableMessage(unstorable)));
      } else {
        if (careful) await tx.query('SAVEPOINT mutation');
        try {
          const o = await applyMutation(run, m, r);
          known = o.known;
          Object.assign(r, o.outcome);
          if (careful) await tx.query('RELEASE SAVEPOINT mutation');
        } catch (err) {
          if (!careful || !isDataError(err)) throw err;
          await tx.query('ROLLBACK TO SAVEPOINT mutation');
          // The refused row must not be inserted again by the final flush.
          run.interactions.length = 0;
          run.stateEvents.length = 0;
          Object.assign(r, rejected('invalid', `The server could not store this change: ${(err as Error).message}`));
        }
      }
      results.push(r);
      fresh.push({ m, r, known });
      const cv = clientVersionOf(m);
      if (cv !== null && known !== null) run.known.set(`${m.entityId}|${cv}`, known);
      hw = m.seq;
    }
    await flushInserts(run);
    if (fresh.length > 0) {
      await tx.query(
        `WITH r AS (
           INSERT INTO sync_results (client_id, seq, entity, entity_id, client_version, server_version, known_version, result, applied_at, fingerprint)
           SELECT $1, s, e, i, cv, sv, kv, r, $7, fp FROM unnest($2::bigint[], $3::text[], $4::text[], $5::int[], $6::int[], $8::int[], $9::jsonb[], $12::text[]) AS t(s, e, i, cv, sv, kv, r, fp)
         )
         UPDATE sync_clients SET high_water = $10, last_user = $11, updated_at = $7 WHERE client_id = $1`,
        [
          clientId,
          fresh.map((f) => f.m.seq),
          fresh.map((f) => f.m.entity),
          fresh.map((f) => f.r.entityId),
          fresh.map((f) => clientVersionOf(f.m)),
          fresh.map((f) => f.r.version ?? null),
          now,
          fresh.map((f) => f.known),
          fresh.map((f) => JSON.stringify(f.r)),
          hw,
          principal.id,
          fresh.map((f) => fingerprintOf(f.m)),
        ],
      );
    }
    const latest = await stampChanges(tx, run.touched);
    await this.opts.fault?.('push:applied');
    return { response: { clientId, highWater: hw, results }, latest };
  }

}
