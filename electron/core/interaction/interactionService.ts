import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/api/result';
import { cleanValue } from '../../../shared/sync/safeValues';
import type { CallSnapshot } from '../../../shared/phone/call';
import type { QualitySummary } from '../../../shared/phone/quality';
import {
  callDurations,
  type Interaction,
  type InteractionAdd,
  type InteractionCorrect,
} from '../../../shared/interaction/interaction';
import type { WrapUpCompletion } from '../../../shared/agent/wrapup';
import type { Clock } from '../adapters';
import type { Logger } from '../log/logger';
import type { OutboxRepository } from '../outbox/outboxRepository';
import type { InteractionRepository } from './interactionRepository';

/** What the call record needs beyond the call snapshot. */
export interface CallLogContext {
  customerId: number | null;
  /** The agent's own address (SIP AOR). */
  localNumber: string | null;
  /** Name of the header carrying the queue (e.g. X-Queue); '' for none. */
  queueHeader: string;
  quality: QualitySummary | null;
}

/** The wrap-up facts written as a revision of the call entry. */
export interface WrapUpRevision {
  disposition: string | null;
  notes: string;
  customerId: number | null;
  wrapUpMs: number;
  completion: WrapUpCompletion;
  ticketIds: string[];
}

/** Everything the service needs. */
export interface InteractionServiceDeps {
  db: Database.Database;
  repo: InteractionRepository;
  outbox: OutboxRepository;
  clock: Clock;
  /** The current agent id. */
  agentId: () => string;
  /** Checks a disposition code against the configuration (corrections). */
  isDisposition: (code: string) => boolean;
  /** Called after a new entry is committed (event `interaction:logged`, last-contact time). */
  onLogged?: (entry: Interaction) => void;
  logger: Logger;
}

/**
 * The contact log. Every write is one transaction with its outbox row; nothing is ever updated:
 * wrap-ups and corrections are new entries linked to the revision they replace.
 */
export class InteractionService {
  constructor(private readonly deps: InteractionServiceDeps) {}

  /**
   * Logs an ended (or abandoned) call with its durations computed from the SIP timestamps.
   * Logging the same call again returns the entry already there.
   */
  logCall(call: CallSnapshot, ctx: CallLogContext): Interaction {
    const existing = this.deps.repo.originalForCall(call.id);
    if (existing) return existing;
    const entry = this.deps.db.transaction(() => {
      const again = this.deps.repo.originalForCall(call.id);
      if (again) return { entry: again, fresh: false };
      return { entry: this.logCallInTx(call, ctx), fresh: true };
    })();
    if (entry.fresh) this.logged(entry.entry);
    return entry.entry;
  }

  /** {@link logCall} for callers already inside a transaction (no event emitted). */
  logCallInTx(call: CallSnapshot, ctx: CallLogContext): Interaction {
    const now = this.deps.clock.now();
    const d = callDurations(call, now);
    const id = randomUUID();
    // What the phone system sent (names, numbers, headers) is cleaned like typed text
    // (shared/sync/safeValues.ts): stored and pushed as the same text.
    const entry: Interaction = cleanValue({
      id,
      kind: 'call',
      rootId: id,
      revisionOf: null,
      revisionKind: 'original',
      correctionReason: null,
      customerId: ctx.customerId,
      agentId: this.deps.agentId(),
      direction: call.direction,
      localNumber: ctx.localNumber,
      remoteNumber: call.remote.number,
      remoteName: call.remote.displayName,
      queue: (ctx.queueHeader && call.headers[ctx.queueHeader]) || null,
      headers: { ...call.headers },
      callId: call.id,
      sipCallId: call.sipCallId,
      occurredAt: d.offeredAt,
      answeredAt: d.answeredAt,
      endedAt: d.endedAt,
      holds: call.times.holds.map((h) => ({ start: h.start, end: h.end ?? d.endedAt })),
      ringMs: d.ringMs,
      talkMs: d.talkMs,
      holdMs: d.holdMs,
      wrapUpMs: null,
      endReason: call.end?.reason ?? null,
      endSipCode: call.end?.sipCode ?? null,
      disposition: null,
      wrapUpCompletion: null,
      subject: '',
      notes: '',
      quality: ctx.quality,
      dtmfReceived: call.dtmfReceived.slice(0, 512),
      ticketIds: [],
      createdAt: now,
    } satisfies Interaction);
    this.insertInTx(entry, null);
    return entry;
  }

  /** Logs a visit, email, SMS or note by hand. */
  addManual(req: InteractionAdd): Interaction {
    const now = this.deps.clock.now();
    const id = randomUUID();
    const entry: Interaction = {
      id,
      kind: req.kind,
      rootId: id,
      revisionOf: null,
      revisionKind: 'original',
      correctionReason: null,
      customerId: req.customerId,
      agentId: this.deps.agentId(),
      direction: req.direction ?? null,
      localNumber: null,
      remoteNumber: req.remote ?? null,
      remoteName: null,
      queue: null,
      headers: {},
      callId: null,
      sipCallId: null,
      occurredAt: req.occurredAt ?? now,
      answeredAt: null,
      endedAt: null,
      holds: [],
      ringMs: null,
      talkMs: null,
      holdMs: null,
      wrapUpMs: null,
      endReason: null,
      endSipCode: null,
      disposition: null,
      wrapUpCompletion: null,
      subject: req.subject,
      notes: req.notes,
      quality: null,
      dtmfReceived: '',
      ticketIds: [],
      createdAt: now,
    };
    this.deps.db.transaction(() => this.insertInTx(entry, null))();
    this.logged(entry);
    return entry;
  }

  /**
   * Corrects an entry: writes a new entry (a copy with the changes) linked to it. Only the latest
   * revision can be corrected (CONFLICT otherwise); an unknown disposition is refused.
   */
  correct(req: InteractionCorrect): Interaction {
    const entry = this.deps.db.transaction(() => {
      const target = this.requireHead(req.id);
      const c = req.changes;
      if (c.disposition !== undefined && c.disposition !== null && !this.deps.isDisposition(c.disposition)) {
        throw new AppError('INVALID_PAYLOAD', `Unknown disposition "${c.disposition}"`, { field: 'disposition', value: c.disposition });
      }
      const id = randomUUID();
      const next: Interaction = {
        ...target,
        id,
        revisionOf: target.id,
        revisionKind: 'correction',
        correctionReason: req.reason,
        ...(c.customerId !== undefined ? { customerId: c.customerId } : {}),
        ...(c.disposition !== undefined ? { disposition: c.disposition } : {}),
        ...(c.subject !== undefined ? { subject: c.subject } : {}),
        ...(c.notes !== undefined ? { notes: c.notes } : {}),
        ...(c.occurredAt !== undefined ? { occurredAt: c.occurredAt } : {}),
        createdAt: this.deps.clock.now(),
      };
      this.insertInTx(next, { by: this.deps.agentId(), changed: Object.keys(c) });
      return next;
    })();
    this.logged(entry);
    return entry;
  }

  /** Writes the wrap-up of a call as a revision of its latest entry (inside the caller's transaction). */
  reviseWithWrapUpInTx(rootId: string, w: WrapUpRevision): Interaction {
    const head = this.deps.repo.headOf(rootId);
    if (!head) throw new AppError('NOT_FOUND', `No interaction ${rootId}`);
    const next: Interaction = {
      ...head,
      id: randomUUID(),
      revisionOf: head.id,
      revisionKind: 'wrap-up',
      correctionReason: null,
      customerId: w.customerId ?? head.customerId,
      disposition: w.disposition,
      notes: w.notes,
      wrapUpMs: w.wrapUpMs,
      wrapUpCompletion: w.completion,
      ticketIds: [...new Set([...head.ticketIds, ...w.ticketIds])],
      createdAt: this.deps.clock.now(),
    };
    this.insertInTx(next, { by: this.deps.agentId(), changed: ['disposition', 'notes', 'wrapUpMs', 'wrapUpCompletion', 'customerId', 'ticketIds'] });
    return next;
  }

  /** A customer's timeline page (latest revisions, newest first) and the total count. */
  list(customerId: number, limit: number, after?: { occurredAt: number; id: string }): { items: Interaction[]; total: number } {
    return { items: this.deps.repo.listByCustomer(customerId, limit, after), total: this.deps.repo.countByCustomer(customerId) };
  }

  /** One entry and every revision of its contact; NOT_FOUND when unknown. */
  get(id: string): { entry: Interaction; revisions: Interaction[] } {
    const entry = this.deps.repo.get(id);
    if (!entry) throw new AppError('NOT_FOUND', `No interaction ${id}`);
    return { entry, revisions: this.deps.repo.chain(entry.rootId) };
  }

  /** The latest revision of the call's entry, or null when the call was not logged. */
  forCall(callId: string): Interaction | null {
    const original = this.deps.repo.originalForCall(callId);
    return original ? this.deps.repo.headOf(original.rootId) : null;
  }

  /** The latest revision of a contact, or null. */
  head(rootId: string): Interaction | null {
    return this.deps.repo.headOf(rootId);
  }

  /** Tells listeners about an entry committed by a caller's transaction. */
  logged(entry: Interaction): void {
    try {
      this.deps.onLogged?.(entry);
    } catch (err) {
      this.deps.logger.warn('interaction listener failed', { error: (err as Error).message });
    }
  }

  private requireHead(id: string): Interaction {
    const target = this.deps.repo.get(id);
    if (!target) throw new AppError('NOT_FOUND', `No interaction ${id}`);
    const successor = this.deps.repo.successorOf(id);
    if (successor) throw new AppError('CONFLICT', 'This entry was already revised: correct the latest revision', { latest: this.deps.repo.headOf(target.rootId)?.id });
    return target;
  }

  private insertInTx(entry: Interaction, extra: Record<string, unknown> | null): void {
    this.deps.repo.insert(entry);
    this.deps.outbox.append({ entity: 'interaction', entityId: entry.id, operation: 'create', baseVersion: null, payload: extra ? { record: entry, ...extra } : { record: entry } });
  }
}
