import type { z } from 'zod';
import { AppError } from '../../../shared/api/result';
import { dormantCutoff } from '../../../shared/customer/helpers';
import {
  customerReassignSchema,
  customerSaveSchema,
  customerSearchSchema,
  type Customer,
  type CustomerSave,
  type CustomerSearchResult,
  type CustomerSummary,
  type OwnerChange,
} from '../../../shared/customer/schema';
import { changedCustomerFields, type CustomerSyncField } from '../../../shared/customer/sync';
import { resolveCallerId, type CallerId, type CallerIdInput } from '../../../shared/phone-number/callerId';
import { normalizePhoneNumber, phoneDigits, type PhoneNormalizeOptions } from '../../../shared/phone-number/normalize';
import type { Clock } from '../adapters';
import type { Logger } from '../log/logger';
import type { CustomerRecord, CustomerRepository, PhoneRecord } from './customerRepository';

/** What the customer service reads from settings, each time it needs it. */
export interface CustomerServiceConfig {
  phone(): PhoneNormalizeOptions;
  dormantDays(): number;
}

/** One field problem, for per-field messages in the UI and per-row reasons in imports. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Turns zod issues into `{ path, message }` pairs (`phones.1.raw: is required`). */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(record)', message: i.message }));
}

/** A committed-together change to a customer, for the outbox (sync). */
export interface CustomerChange {
  operation: 'create' | 'update' | 'reassign';
  id: number;
  /** The revision the change was made on; null for a create. */
  baseRevision: number | null;
  /** The server version the change was made on (null before the first sync). */
  baseVersion: number | null;
  /** The customer after the change, as stored. */
  record: Customer;
  /** Fields the change touched (empty for a create). */
  changed: CustomerSyncField[];
  /** Who made the change, when the caller said (`changedBy`), else null. */
  by: string | null;
  /** A create whose code was generated here (not typed): the server may replace it if taken. */
  codeGenerated?: boolean;
}

/**
 * Called inside the transaction of every agent or import change that changed something (not for
 * demo seeding, bulk {@link CustomerService.createPrepared} loads or records adopted from the
 * central server), so an outbox row written by the hook commits or rolls back with the change.
 * A throwing hook aborts the change.
 */
export type CustomerChangeHook = (change: CustomerChange) => void;

/** A caller lookup: who the caller is and which customers have that number. */
export interface CallerLookup {
  caller: CallerId;
  matches: CustomerSummary[];
}

/**
 * A phone's match key as the central server stored it (pulled records carry it). The server
 * normalised the same raw text with the shared normaliser, so adopting its key skips the most
 * expensive step of a first sync (libphonenumber) and keeps every desktop on the server's key.
 */
export interface KnownPhoneKey {
  raw: string;
  e164: string | null;
  extension: string | null;
}

/** A well-formed E.164 number (what a stored match key looks like). */
const E164 = /^\+[1-9]\d{5,14}$/;

/** Why a phone cannot be stored, by normalisation reason. */
const PHONE_REASON_TEXT: Record<string, string> = {
  empty: 'is empty',
  'no-digits': 'has no digits',
  'too-short': 'is too short to be a phone number',
  'too-long': 'is too long to be a phone number',
  unparseable: 'is not a phone number',
  withheld: 'is a withheld-number marker, not a phone number',
};

/**
 * Customer records: validation and normalisation on write (phones get their E.164 key, exactly one
 * primary phone and email), optimistic concurrency on update, recorded owner changes, bounded
 * search and lookup by caller number. Public methods validate their input with the shared zod
 * schemas and throw AppError (INVALID_PAYLOAD with field issues, NOT_FOUND, CONFLICT).
 */
export class CustomerService {
  constructor(
    private readonly repo: CustomerRepository,
    private readonly clock: Clock,
    private readonly config: CustomerServiceConfig,
    private readonly logger: Logger,
    private readonly onChange?: CustomerChangeHook,
  ) {}

  /** The repository (for the screen pop, import and the demo seeder, which share its transaction). */
  get repository(): CustomerRepository {
    return this.repo;
  }

  /** Phone options currently configured (default region, PBX prefixes). */
  phoneOptions(): PhoneNormalizeOptions {
    return this.config.phone();
  }

  /** Full record by id; NOT_FOUND when absent. */
  get(id: number): Customer {
    const customer = this.repo.get(id);
    if (!customer) throw new AppError('NOT_FOUND', `Customer ${id} does not exist`, { id });
    return customer;
  }

  /** Full record by code (case-insensitive), or null. */
  findByCode(code: string): Customer | null {
    return this.repo.getByCode(code.trim());
  }

  /**
   * Validates a save request and turns it into a storable record: phones normalised (an unreadable
   * phone is a field issue, never silently dropped), duplicates removed, one primary phone and email.
   */
  prepare(input: unknown, known?: ReadonlyArray<KnownPhoneKey>): { save: CustomerSave; phones: PhoneRecord[] } {
    const parsed = customerSaveSchema.safeParse(input);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      throw new AppError('INVALID_PAYLOAD', `Invalid customer: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, { issues });
    }
    const save = parsed.data;
    const options = this.config.phone();
    const issues: FieldIssue[] = [];
    const phones: PhoneRecord[] = [];
    const seen = new Set<string>();
    save.phones.forEach((p, i) => {
      const given = known?.[i];
      if (given && given.raw === p.raw && given.e164 !== null && E164.test(given.e164)) {
        // The server's match key for this very text (see KnownPhoneKey): no second normalisation.
        // Its E.164 digits contain the national digits, so the search terms come out the same.
        const key = `${given.e164};${given.extension ?? ''}`;
        if (seen.has(key)) return;
        seen.add(key);
        phones.push({ raw: p.raw, e164: given.e164, extension: given.extension, label: p.label, primary: p.primary, nationalDigits: null });
        return;
      }
      const n = normalizePhoneNumber(p.raw, options);
      if (n.kind !== 'number') {
        issues.push({ path: `phones.${i}.raw`, message: `"${p.raw}" ${PHONE_REASON_TEXT[n.kind === 'invalid' ? n.reason : 'withheld']}` });
        return;
      }
      const key = `${n.e164};${n.extension ?? ''}`;
      if (seen.has(key)) return;
      seen.add(key);
      phones.push({
        raw: p.raw,
        e164: n.e164,
        extension: n.extension,
        label: p.label,
        primary: p.primary,
        // A number typed nationally already holds its national digits; only format the others.
        nationalDigits: /^\s*(\+|00)/.test(p.raw) ? phoneDigits(n.national) || null : null,
      });
    });
    if (issues.length > 0) {
      throw new AppError('INVALID_PAYLOAD', `Invalid customer: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, { issues });
    }
    const firstPrimary = Math.max(0, phones.findIndex((p) => p.primary));
    phones.forEach((p, i) => (p.primary = i === firstPrimary));
    const emailSeen = new Set<string>();
    const emails = save.emails.filter((e) => {
      const key = e.address.toLowerCase();
      if (emailSeen.has(key)) return false;
      emailSeen.add(key);
      return true;
    });
    const firstEmail = Math.max(0, emails.findIndex((e) => e.primary));
    emails.forEach((e, i) => (e.primary = i === firstEmail));
    return { save: { ...save, emails }, phones };
  }

  /**
   * Creates (no `id`) or replaces (with `id`) a customer. On update a stale `revision` is a CONFLICT
   * (someone saved in between); an owner change is recorded like a reassignment; the server version
   * is kept; the last contact time never moves backwards. A new customer without a code gets one.
   */
  save(input: unknown, changedBy: string | null = null): Customer {
    const prepared = this.prepare(input);
    const id = this.repo.transaction(() => this.write(prepared, changedBy));
    return this.get(id);
  }

  /**
   * Writes a customer already validated by {@link prepare}, inside the caller's transaction (bulk
   * paths use this so no savepoint is taken per row). `existing` saves a read when the caller has
   * just loaded the stored record. Returns the customer id. Throws NOT_FOUND or CONFLICT before
   * writing anything.
   */
  write(prepared: { save: CustomerSave; phones: PhoneRecord[] }, changedBy: string | null = null, existing?: Customer | null): number {
    const { save, phones } = prepared;
    const now = this.clock.now();
    if (save.id === undefined) {
      const code = save.code ?? this.repo.nextCode();
      const record = this.record(save, code, phones, null);
      const newId = this.repo.insert(record, now);
      if (this.onChange) {
        // Built from what was just inserted rather than read back: imports create thousands of rows.
        const { phones: stored, ...fields } = record;
        const created: Customer = {
          ...fields,
          id: newId,
          revision: 0,
          createdAt: now,
          updatedAt: now,
          phones: stored.map((p) => ({ raw: p.raw, e164: p.e164, extension: p.extension, label: p.label, primary: p.primary })),
        };
        this.onChange({ operation: 'create', id: newId, baseRevision: null, baseVersion: null, record: created, changed: [], by: changedBy, codeGenerated: save.code === undefined });
      }
      this.logger.debug('customer created', { id: newId });
      return newId;
    }
    const current = existing && existing.id === save.id ? existing : this.repo.get(save.id);
    if (!current) throw new AppError('NOT_FOUND', `Customer ${save.id} does not exist`, { id: save.id });
    if (save.revision !== undefined && save.revision !== current.revision) {
      throw new AppError('CONFLICT', `Customer ${current.code} was changed by someone else; reload it and try again`, {
        id: current.id,
        expected: save.revision,
        actual: current.revision,
      });
    }
    const lastContactAt =
      current.lastContactAt === null ? save.lastContactAt : Math.max(current.lastContactAt, save.lastContactAt ?? current.lastContactAt);
    const record = this.record({ ...save, lastContactAt }, save.code ?? current.code, phones, current.serverVersion);
    this.repo.update(current.id, { ...record, ownerId: current.ownerId }, now);
    if ((save.ownerId ?? null) !== current.ownerId) this.repo.reassign(current.id, save.ownerId ?? null, changedBy, '', now);
    this.notify('update', current, changedBy);
    this.logger.debug('customer updated', { id: current.id });
    return current.id;
  }

  /**
   * Creates many customers in one transaction without reading them back (seeding, bulk loads).
   * Any invalid input aborts the whole batch. Returns the number created.
   */
  createMany(inputs: readonly unknown[]): number {
    return this.createPrepared(inputs.map((input) => this.prepare(input)));
  }

  /**
   * Creates many customers already validated by {@link prepare} (possibly in another thread: the
   * benchmark prepares in a worker while this thread writes), in one transaction. Returns the count.
   * Seeding and bulk loads only: the change hook is not called, so nothing goes to the outbox
   * (agent saves and CSV imports go through {@link write}, which calls it).
   */
  createPrepared(prepared: ReadonlyArray<{ save: CustomerSave; phones: PhoneRecord[] }>): number {
    const now = this.clock.now();
    return this.repo.transaction(() => {
      for (const { save, phones } of prepared) this.repo.insert(this.record(save, save.code ?? this.repo.nextCode(), phones, null), now);
      return prepared.length;
    });
  }

  /**
   * Stores a customer as the central server sent it (pull, push answer), validated like any save.
   * `localId` names the local customer it is (null: a new one); without it the customer is matched
   * by server id, else by code. A record equal to the local one only updates the server version
   * (the revision an open editor holds stays valid). Not a local change, so the change hook
   * (outbox) is not called. Returns the local id.
   */
  adoptFromServer(server: Customer, localId?: number | null): number {
    const { id: serverId, serverVersion, revision: _revision, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = server;
    const prepared = this.prepare(fields, server.phones);
    const now = this.clock.now();
    const target = localId !== undefined ? localId : (this.repo.idForServer(serverId) ?? this.repo.findByCode(server.code)?.id ?? null);
    const current = target === null ? null : this.repo.get(target);
    if (target !== null && !current) throw new AppError('NOT_FOUND', `Customer ${target} does not exist`, { id: target });
    const lastContactAt = Math.max(current?.lastContactAt ?? 0, server.lastContactAt ?? 0) || null;
    if (current && changedCustomerFields(current, { ...server, lastContactAt }).length === 0) {
      this.repo.setServerVersion(current.id, serverVersion);
      this.repo.setServerId(current.id, serverId);
      return current.id;
    }
    const record = this.record({ ...prepared.save, lastContactAt }, server.code, prepared.phones, serverVersion);
    if (!current) return this.repo.insert(record, now, serverId);
    this.repo.update(current.id, record, now);
    this.repo.setServerId(current.id, serverId);
    return current.id;
  }

  /**
   * Validates a customer as the central server sent it, once, into a record ready for a bulk
   * write (a first sync stores hundreds of thousands: see BulkPullApplier): the same checks and
   * normalisation as {@link adoptFromServer}, with the server's phone keys adopted. Throws
   * INVALID_PAYLOAD naming the field.
   */
  serverRecord(server: unknown): { serverId: number; record: CustomerRecord } {
    if (typeof server !== 'object' || server === null) throw new AppError('INVALID_PAYLOAD', 'Invalid customer: not an object');
    const { id: serverId, serverVersion = null, revision: _revision, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = server as Record<string, unknown>;
    if (typeof serverId !== 'number' || !Number.isInteger(serverId) || serverId <= 0) throw new AppError('INVALID_PAYLOAD', 'Invalid customer: id must be a positive integer');
    if (serverVersion !== null && (typeof serverVersion !== 'number' || !Number.isInteger(serverVersion) || serverVersion < 0)) {
      throw new AppError('INVALID_PAYLOAD', 'Invalid customer: serverVersion must be a non-negative integer or null');
    }
    const known = Array.isArray(fields.phones)
      ? fields.phones.map((p: Record<string, unknown> | null) => ({
          raw: typeof p?.raw === 'string' ? p.raw : '',
          e164: typeof p?.e164 === 'string' ? p.e164 : null,
          extension: typeof p?.extension === 'string' ? p.extension : null,
        }))
      : undefined;
    const prepared = this.prepare(fields, known);
    if (prepared.save.code === undefined) throw new AppError('INVALID_PAYLOAD', 'Invalid customer: code is required');
    const record = this.record({ ...prepared.save, lastContactAt: prepared.save.lastContactAt || null }, prepared.save.code, prepared.phones, serverVersion);
    return { serverId, record };
  }

  /** True when a customer with this local id is stored. */
  exists(id: number): boolean {
    return this.repo.get(id) !== null;
  }

  /** Records the central server's id of a local customer without changing its fields. */
  bindToServer(id: number, serverId: number): void {
    this.repo.setServerId(id, serverId);
  }

  /** Forgets a customer the central server no longer shows this agent (reassigned out of scope). */
  removeFromServer(serverId: number): number | null {
    const id = this.repo.idForServer(serverId);
    if (id !== null) this.repo.remove(id);
    return id;
  }

  /** The central server's id of a local customer, or null. */
  serverIdOf(id: number): number | null {
    return this.repo.serverIdOf(id);
  }

  /** The local id of a server customer, or null when this desktop does not have it. */
  localIdOf(serverId: number): number | null {
    return this.repo.idForServer(serverId);
  }

  /** Changes a customer's owner and records the change (who, from, to, why, when). */
  reassign(input: unknown): { customer: Customer; change: OwnerChange } {
    const parsed = customerReassignSchema.safeParse(input);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      throw new AppError('INVALID_PAYLOAD', `Invalid reassignment: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, { issues });
    }
    const { id, ownerId, changedBy, reason } = parsed.data;
    const change = this.repo.transaction(() => {
      const before = this.repo.get(id);
      if (!before) throw new AppError('NOT_FOUND', `Customer ${id} does not exist`, { id });
      const recorded = this.repo.reassign(id, ownerId, changedBy, reason, this.clock.now());
      this.notify('reassign', before, changedBy);
      return recorded;
    });
    this.logger.info('customer reassigned', { id });
    return { customer: this.get(id), change };
  }

  /** Owner changes of a customer, newest first. */
  ownerHistory(id: number): OwnerChange[] {
    this.get(id);
    return this.repo.ownerHistory(id);
  }

  /** One-box search with filters; bounded and never throws on odd input (SQL/FTS syntax is data). */
  search(input: unknown): CustomerSearchResult {
    const parsed = customerSearchSchema.safeParse(input ?? {});
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      throw new AppError('INVALID_PAYLOAD', `Invalid search: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, { issues });
    }
    return this.repo.search(parsed.data, dormantCutoff(this.clock.now(), this.config.dormantDays()));
  }

  /** Resolves a caller (headers or a plain number) and finds the customers with that number. */
  lookupCaller(input: CallerIdInput): CallerLookup {
    const caller = resolveCallerId(input, this.config.phone());
    const matches = caller.kind === 'number' ? this.repo.findByE164(caller.number.e164) : [];
    return { caller, matches };
  }

  /** Records a contact with the customer now (or at `at`); last contact never moves backwards. */
  recordContact(id: number, at: number = this.clock.now()): void {
    this.repo.touchLastContact(id, at);
  }

  /** Re-reads a customer just written in this transaction. */
  private stored(id: number): Customer {
    const c = this.repo.get(id);
    if (!c) throw new AppError('INTERNAL', `Customer ${id} vanished inside its own transaction`, { id });
    return c;
  }

  /** Calls the change hook for a change to `before` when some syncable field changed. */
  private notify(operation: 'update' | 'reassign', before: Customer, by: string | null): void {
    if (!this.onChange) return;
    const record = this.stored(before.id);
    const changed = changedCustomerFields(before, record);
    if (changed.length === 0) return;
    this.onChange({ operation, id: before.id, baseRevision: before.revision, baseVersion: before.serverVersion, record, changed, by });
  }

  private record(save: CustomerSave, code: string, phones: PhoneRecord[], serverVersion: number | null): CustomerRecord {
    return {
      code,
      name: save.name,
      company: save.company,
      type: save.type,
      status: save.status,
      level: save.level,
      source: save.source,
      creditRating: save.creditRating,
      points: save.points,
      ownerId: save.ownerId,
      tags: save.tags,
      birthday: save.birthday,
      preferredLanguage: save.preferredLanguage,
      preferences: save.preferences,
      notes: save.notes,
      contactPermissions: save.contactPermissions,
      lifetimeValue: save.lifetimeValue,
      lifecycleStage: save.lifecycleStage,
      lastContactAt: save.lastContactAt,
      serverVersion,
      phones,
      emails: save.emails,
      addresses: save.addresses,
    };
  }
}
