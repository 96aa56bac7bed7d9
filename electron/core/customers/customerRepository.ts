import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AppError } from '../../../shared/api/result';
import {
  SEARCH_MATCH_CAP,
  customerSchema,
  customerSummarySchema,
  ownerChangeSchema,
  type Customer,
  type CustomerAddress,
  type CustomerEmail,
  type CustomerFilters,
  type CustomerPhone,
  type CustomerSearch,
  type CustomerSearchResult,
  type CustomerSummary,
  type OwnerChange,
} from '../../../shared/customer/schema';
import { searchColumns } from './customerRows';
import { namePinyin } from './pinyin';

/** A phone ready to store: E.164 computed, plus its national digits for fragment search. */
export interface PhoneRecord extends CustomerPhone {
  /** National digits with trunk prefix (`075588881234`), or null when the number is unreadable. */
  nationalDigits: string | null;
}

/** A customer ready to store: validated and normalised by the service. */
export interface CustomerRecord {
  code: string;
  name: string;
  company: string;
  type: Customer['type'];
  status: Customer['status'];
  level: Customer['level'];
  source: Customer['source'];
  creditRating: Customer['creditRating'];
  points: number;
  ownerId: string | null;
  tags: string[];
  birthday: string | null;
  preferredLanguage: string | null;
  preferences: string;
  notes: string;
  contactPermissions: Customer['contactPermissions'];
  lifetimeValue: number;
  lifecycleStage: Customer['lifecycleStage'];
  lastContactAt: number | null;
  serverVersion: number | null;
  phones: PhoneRecord[];
  emails: CustomerEmail[];
  addresses: CustomerAddress[];
}

const customerRowSchema = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  company: z.string(),
  type: z.string(),
  status: z.string(),
  level: z.string(),
  source: z.string(),
  credit_rating: z.string().nullable(),
  points: z.number(),
  owner_id: z.string().nullable(),
  tags_json: z.string(),
  birthday: z.string().nullable(),
  preferred_language: z.string().nullable(),
  preferences: z.string(),
  notes: z.string(),
  allow_call: z.number(),
  allow_sms: z.number(),
  allow_email: z.number(),
  lifetime_value: z.number(),
  lifecycle_stage: z.string(),
  last_contact_at: z.number().nullable(),
  server_version: z.number().nullable(),
  revision: z.number(),
  created_at: z.number(),
  updated_at: z.number(),
});
const phoneRowSchema = z.object({ raw: z.string(), e164: z.string().nullable(), extension: z.string().nullable(), label: z.string(), is_primary: z.number() });
const emailRowSchema = z.object({ address: z.string(), label: z.string(), is_primary: z.number() });
const addressRowSchema = z.object({
  label: z.string(),
  line1: z.string(),
  line2: z.string(),
  city: z.string(),
  region: z.string(),
  postal_code: z.string(),
  country: z.string(),
});
/** A search row: the customer columns a summary shows, plus the primary phone and email. */
const summaryRowSchema = customerRowSchema
  .pick({ id: true, code: true, name: true, company: true, type: true, status: true, level: true, lifecycle_stage: true, owner_id: true, tags_json: true, last_contact_at: true })
  .extend({ primary_phone: z.string().nullable(), primary_email: z.string().nullable() });
const idRowSchema = z.object({ id: z.number(), last_contact_at: z.number().nullable() });
const ftsRowSchema = z.object({ id: z.number() });
const ftsTextRowSchema = z.object({ id: z.number(), text: z.string() });
const ownerChangeRowSchema = z.object({
  id: z.number(),
  customer_id: z.number(),
  from_owner_id: z.string().nullable(),
  to_owner_id: z.string().nullable(),
  changed_by: z.string().nullable(),
  reason: z.string(),
  changed_at: z.number(),
});

function parseTags(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** Most FTS rows a filtered text search reads before applying the filters. */
export const FTS_SCAN_CAP = 5000;

/** Highest code point: `prefix + MAX_CHAR` is an upper bound for every string starting with `prefix`. */
const MAX_CHAR = '\u{10FFFF}';
const SUMMARY_COLUMNS = `c.id, c.code, c.name, c.company, c.type, c.status, c.level, c.lifecycle_stage, c.owner_id, c.tags_json, c.last_contact_at,
  (SELECT p.raw FROM customer_phones p WHERE p.customer_id = c.id ORDER BY p.is_primary DESC, p.position LIMIT 1) AS primary_phone,
  (SELECT e.address FROM customer_emails e WHERE e.customer_id = c.id ORDER BY e.is_primary DESC, e.position LIMIT 1) AS primary_email`;

/** Quotes one search term as an FTS5 string: no operator, column filter or wildcard survives. */
export function ftsPhrase(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** A search query taken apart: FTS phrases (3+ characters) and short terms. */
export interface ParsedQuery {
  /** Terms of 3+ characters, matched as substrings through the trigram index. */
  long: string[];
  /** Terms of 1-2 characters: prefix-matched on name, pinyin initials and code. */
  short: string[];
  /** The digits when the query is a phone fragment (4+ digits, only separators around). */
  phoneDigits: string | null;
}

/**
 * Splits a raw search box string into terms. Control characters are dropped, full-width characters
 * folded, case folded. A query made of digits and phone separators only, with 4+ digits, is a phone
 * fragment (searched without separators); with fewer digits it is a code prefix.
 */
export function parseQuery(raw: string): ParsedQuery {
  const text = raw
    .normalize('NFKC')
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .trim()
    .toLowerCase();
  if (text === '') return { long: [], short: [], phoneDigits: null };
  if (/^[+\d\s().\-/]+$/.test(text)) {
    const digits = text.replace(/\D/g, '');
    if (digits.length >= 4) return { long: [digits], short: [], phoneDigits: digits };
    if (digits.length > 0) return { long: [], short: [digits], phoneDigits: null };
  }
  const terms = [...new Set(text.split(/\s+/).filter((t) => t !== ''))].slice(0, 8);
  const long: string[] = [];
  const short: string[] = [];
  for (const term of terms) ([...term].length >= 3 ? long : short).push(term);
  return { long, short, phoneDigits: null };
}

/**
 * Customer storage: the aggregate (customer + phones + emails + addresses) is written in one
 * transaction together with its row in the `customer_search` FTS table. Every query is bounded
 * (LIMIT), so no search can stall call handling; rows are parsed (zod) before they leave.
 */
export class CustomerRepository {
  private readonly stmts;
  /** Statements built per query shape (search, summaries), reused: preparing costs more than running. */
  private readonly shapes = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      insertCustomer: db.prepare(`INSERT INTO customers (code, name, company, type, status, level, source, credit_rating, points, owner_id,
        tags_json, birthday, preferred_language, preferences, notes, allow_call, allow_sms, allow_email, lifetime_value, lifecycle_stage,
        last_contact_at, server_version, revision, created_at, updated_at, name_pinyin, name_initials, server_id)
        VALUES (@code, @name, @company, @type, @status, @level, @source, @credit_rating, @points, @owner_id, @tags_json, @birthday,
        @preferred_language, @preferences, @notes, @allow_call, @allow_sms, @allow_email, @lifetime_value, @lifecycle_stage,
        @last_contact_at, @server_version, 0, @now, @now, @name_pinyin, @name_initials, @server_id)`),
      updateCustomer: db.prepare(`UPDATE customers SET code = @code, name = @name, company = @company, type = @type, status = @status,
        level = @level, source = @source, credit_rating = @credit_rating, points = @points, owner_id = @owner_id, tags_json = @tags_json,
        birthday = @birthday, preferred_language = @preferred_language, preferences = @preferences, notes = @notes, allow_call = @allow_call,
        allow_sms = @allow_sms, allow_email = @allow_email, lifetime_value = @lifetime_value, lifecycle_stage = @lifecycle_stage,
        last_contact_at = @last_contact_at, server_version = @server_version, revision = revision + 1, updated_at = @now,
        name_pinyin = @name_pinyin, name_initials = @name_initials WHERE id = @id`),
      deletePhones: db.prepare('DELETE FROM customer_phones WHERE customer_id = ?'),
      deleteEmails: db.prepare('DELETE FROM customer_emails WHERE customer_id = ?'),
      deleteAddresses: db.prepare('DELETE FROM customer_addresses WHERE customer_id = ?'),
      insertPhone: db.prepare('INSERT INTO customer_phones (customer_id, position, raw, e164, extension, label, is_primary) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertEmail: db.prepare('INSERT INTO customer_emails (customer_id, position, address, label, is_primary) VALUES (?, ?, ?, ?, ?)'),
      insertAddress: db.prepare(
        'INSERT INTO customer_addresses (customer_id, position, label, line1, line2, city, region, postal_code, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      deleteSearch: db.prepare('DELETE FROM customer_search WHERE rowid = ?'),
      insertSearch: db.prepare('INSERT INTO customer_search (rowid, name, company, code, phones, emails, tags, pinyin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      byId: db.prepare('SELECT * FROM customers WHERE id = ?'),
      idByCode: db.prepare('SELECT id, revision, owner_id FROM customers WHERE code = ?'),
      phonesOf: db.prepare('SELECT raw, e164, extension, label, is_primary FROM customer_phones WHERE customer_id = ? ORDER BY position'),
      emailsOf: db.prepare('SELECT address, label, is_primary FROM customer_emails WHERE customer_id = ? ORDER BY position'),
      addressesOf: db.prepare('SELECT label, line1, line2, city, region, postal_code, country FROM customer_addresses WHERE customer_id = ? ORDER BY position'),
      byE164: db.prepare(`SELECT DISTINCT c.id, c.last_contact_at FROM customer_phones p JOIN customers c ON c.id = p.customer_id
        WHERE p.e164 = ? ORDER BY c.last_contact_at DESC NULLS LAST, c.id DESC LIMIT ?`),
      setOwner: db.prepare('UPDATE customers SET owner_id = ?, revision = revision + 1, updated_at = ? WHERE id = ?'),
      insertOwnerChange: db.prepare(
        'INSERT INTO customer_owner_changes (customer_id, from_owner_id, to_owner_id, changed_by, reason, changed_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      ownerChanges: db.prepare('SELECT * FROM customer_owner_changes WHERE customer_id = ? ORDER BY changed_at DESC, id DESC LIMIT ?'),
      touch: db.prepare('UPDATE customers SET last_contact_at = max(coalesce(last_contact_at, 0), ?) WHERE id = ?'),
      count: db.prepare('SELECT count(*) AS n FROM customers'),
      maxId: db.prepare('SELECT coalesce(max(id), 0) AS n FROM customers'),
      codeExists: db.prepare('SELECT 1 FROM customers WHERE code = ?'),
    };
  }

  private shaped(sql: string): Database.Statement {
    let stmt = this.shapes.get(sql);
    if (!stmt) {
      if (this.shapes.size >= 200) this.shapes.clear();
      stmt = this.db.prepare(sql);
      this.shapes.set(sql, stmt);
    }
    return stmt;
  }

  /** Runs `fn` in one transaction; nested calls become savepoints (a failure undoes only them). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * Runs `fn` atomically: in its own transaction, or simply inside the caller's one. No savepoint
   * per row, because FTS5 flushes its pending index data at every savepoint, which makes bulk
   * writes several times slower.
   */
  private atomic<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.db.transaction(fn)();
  }

  /** Number of customers stored. */
  count(): number {
    return z.object({ n: z.number() }).parse(this.stmts.count.get()).n;
  }

  /** A code not used yet: `C` + 8 digits after the highest id. */
  nextCode(): string {
    let n = z.object({ n: z.number() }).parse(this.stmts.maxId.get()).n + 1;
    for (;;) {
      const code = `C${String(n).padStart(8, '0')}`;
      if (!this.stmts.codeExists.get(code)) return code;
      n += 1;
    }
  }

  /**
   * Stores a new customer; returns its id. A duplicate code is a CONFLICT error. `serverId` binds
   * it to the central server's customer (moved from an older holder, like {@link setServerId}).
   */
  insert(record: CustomerRecord, now: number, serverId: number | null = null): number {
    return this.atomic(() => {
      let id: number;
      if (serverId !== null) this.shaped('UPDATE customers SET server_id = NULL WHERE server_id = ?').run(serverId);
      try {
        id = Number(this.stmts.insertCustomer.run({ ...this.columns(record), now, server_id: serverId }).lastInsertRowid);
      } catch (err) {
        throw this.translate(err, record.code);
      }
      this.writeChildren(id, record);
      return id;
    });
  }

  /** Replaces a stored customer (all fields, phones, emails, addresses) and bumps its revision. */
  update(id: number, record: CustomerRecord, now: number): void {
    this.atomic(() => {
      let changes: number;
      try {
        changes = this.stmts.updateCustomer.run({ ...this.columns(record), now, id }).changes;
      } catch (err) {
        throw this.translate(err, record.code);
      }
      if (changes === 0) throw new AppError('NOT_FOUND', `Customer ${id} does not exist`, { id });
      this.stmts.deletePhones.run(id);
      this.stmts.deleteEmails.run(id);
      this.stmts.deleteAddresses.run(id);
      this.stmts.deleteSearch.run(id);
      this.writeChildren(id, record);
    });
  }

  /** Id, revision and owner of the customer with this code (codes compare case-insensitively). */
  findByCode(code: string): { id: number; revision: number; ownerId: string | null } | null {
    const row = this.stmts.idByCode.get(code);
    if (!row) return null;
    const parsed = z.object({ id: z.number(), revision: z.number(), owner_id: z.string().nullable() }).parse(row);
    return { id: parsed.id, revision: parsed.revision, ownerId: parsed.owner_id };
  }

  /** The full record, or null. */
  get(id: number): Customer | null {
    const raw = this.stmts.byId.get(id);
    if (!raw) return null;
    const row = customerRowSchema.parse(raw);
    const phones = this.stmts.phonesOf.all(id).map((r) => phoneRowSchema.parse(r));
    const emails = this.stmts.emailsOf.all(id).map((r) => emailRowSchema.parse(r));
    const addresses = this.stmts.addressesOf.all(id).map((r) => addressRowSchema.parse(r));
    return customerSchema.parse({
      id: row.id,
      code: row.code,
      name: row.name,
      company: row.company,
      type: row.type,
      status: row.status,
      level: row.level,
      source: row.source,
      creditRating: row.credit_rating,
      points: row.points,
      ownerId: row.owner_id,
      tags: parseTags(row.tags_json),
      birthday: row.birthday,
      preferredLanguage: row.preferred_language,
      preferences: row.preferences,
      notes: row.notes,
      contactPermissions: { call: row.allow_call === 1, sms: row.allow_sms === 1, email: row.allow_email === 1 },
      lifetimeValue: row.lifetime_value,
      lifecycleStage: row.lifecycle_stage,
      lastContactAt: row.last_contact_at,
      serverVersion: row.server_version,
      revision: row.revision,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      phones: phones.map((p) => ({ raw: p.raw, e164: p.e164, extension: p.extension, label: p.label, primary: p.is_primary === 1 })),
      emails: emails.map((e) => ({ address: e.address, label: e.label, primary: e.is_primary === 1 })),
      addresses: addresses.map((a) => ({
        label: a.label,
        line1: a.line1,
        line2: a.line2,
        city: a.city,
        region: a.region,
        postalCode: a.postal_code,
        country: a.country,
      })),
    });
  }

  /** The full record by code (case-insensitive), or null. */
  getByCode(code: string): Customer | null {
    const found = this.findByCode(code);
    return found ? this.get(found.id) : null;
  }

  /** Customers with a phone whose E.164 key is `e164`, most recently contacted first. */
  findByE164(e164: string, limit = 20): CustomerSummary[] {
    const ids = this.stmts.byE164.all(e164, limit).map((r) => idRowSchema.parse(r).id);
    return this.summaries(ids);
  }

  /** Summaries for the given ids, in the given order (missing ids are skipped). */
  summaries(ids: readonly number[]): CustomerSummary[] {
    if (ids.length === 0) return [];
    const rows = this
      .shaped(`SELECT ${SUMMARY_COLUMNS} FROM customers c WHERE c.id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids))
      .map((r) => summaryRowSchema.parse(r));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const out: CustomerSummary[] = [];
    for (const id of ids) {
      const r = byId.get(id);
      if (!r) continue;
      out.push(
        customerSummarySchema.parse({
          id: r.id,
          code: r.code,
          name: r.name,
          company: r.company,
          type: r.type,
          status: r.status,
          level: r.level,
          lifecycleStage: r.lifecycle_stage,
          ownerId: r.owner_id,
          tags: parseTags(r.tags_json),
          lastContactAt: r.last_contact_at,
          primaryPhone: r.primary_phone,
          primaryEmail: r.primary_email,
        }),
      );
    }
    return out;
  }

  /**
   * One-box search plus filters. At most {@link SEARCH_MATCH_CAP}+1 candidate rows are read (FTS
   * without ranking, index ranges for 1-2 character terms, or the first rows matching the filters;
   * with filters, text matches are read up to {@link FTS_SCAN_CAP} rows before filtering), then
   * ordered by last contact and paged. When there may be more matches than that, `capped` is set
   * and the order covers only the rows read: the agent is asked to refine.
   */
  search(search: CustomerSearch, dormantCutoff: number): CustomerSearchResult {
    const query = parseQuery(search.query);
    const filter = this.filterSql(search.filters, dormantCutoff);
    const cap = SEARCH_MATCH_CAP + 1;
    let rows: Array<{ id: number; last_contact_at: number | null }>;

    let scanCapped = false;
    if (query.long.length > 0) {
      // Stage 1, bounded: matching rows from the FTS index (short terms checked on the same row).
      // Stage 2: the customer filters on those rows only. A rare filter on a common term could
      // otherwise walk a huge doclist while a call is ringing.
      const match = query.long.map(ftsPhrase).join(' AND ');
      const bounded = filter.sql.length > 0 || query.short.length > 0;
      const scanLimit = bounded ? FTS_SCAN_CAP : cap;
      let ids: number[];
      if (query.short.length > 0) {
        const found = this
          .shaped(
            `SELECT f.rowid AS id, f.name || ' ' || f.company || ' ' || f.code || ' ' || f.emails || ' ' || f.tags || ' ' || f.pinyin AS text
             FROM customer_search f WHERE customer_search MATCH ? LIMIT ${scanLimit}`,
          )
          .all(match)
          .map((r) => ftsTextRowSchema.parse(r));
        scanCapped = found.length >= scanLimit;
        ids = found
          .filter((r) => {
            const text = r.text.toLowerCase();
            return query.short.every((t) => text.includes(t));
          })
          .map((r) => r.id);
      } else {
        ids = this
          .shaped(`SELECT f.rowid AS id FROM customer_search f WHERE customer_search MATCH ? LIMIT ${scanLimit}`)
          .all(match)
          .map((r) => ftsRowSchema.parse(r).id);
        scanCapped = bounded && ids.length >= scanLimit;
      }
      const where = ['c.id IN (SELECT value FROM json_each(?))', ...filter.sql];
      rows = this
        .shaped(`SELECT c.id, c.last_contact_at FROM customers c WHERE ${where.join(' AND ')} LIMIT ${cap}`)
        .all(JSON.stringify(ids), ...filter.params)
        .map((r) => idRowSchema.parse(r));
    } else if (query.short.length > 0) {
      const [first = '', ...rest] = [...query.short].sort((a, b) => b.length - a.length);
      const range = [first, first + MAX_CHAR];
      const candidates = `SELECT id FROM (SELECT id FROM customers WHERE name >= ? COLLATE NOCASE AND name < ? COLLATE NOCASE LIMIT ${cap})
        UNION SELECT id FROM (SELECT id FROM customers WHERE name_initials >= ? AND name_initials < ? LIMIT ${cap})
        UNION SELECT id FROM (SELECT id FROM customers WHERE code >= ? COLLATE NOCASE AND code < ? COLLATE NOCASE LIMIT ${cap})`;
      const restSql = rest.map(
        () => `instr(lower(c.name || ' ' || c.company || ' ' || c.code || ' ' || c.name_pinyin || ' ' || c.name_initials), ?) > 0`,
      );
      const where = [`c.id IN (${candidates})`, ...restSql, ...filter.sql];
      rows = this
        .shaped(`SELECT c.id, c.last_contact_at FROM customers c WHERE ${where.join(' AND ')} LIMIT ${cap}`)
        .all(...range, ...range, ...range, ...rest, ...filter.params)
        .map((r) => idRowSchema.parse(r));
    } else if (filter.sql.length === 0) {
      // The whole list: the last-contact index gives the most recent customers directly.
      rows = this
        .shaped(`SELECT c.id, c.last_contact_at FROM customers c ORDER BY c.last_contact_at DESC, c.id DESC LIMIT ${cap}`)
        .all()
        .map((r) => idRowSchema.parse(r));
    } else {
      // Filters only: take the first matches without sorting the whole match set (sorting 200k
      // contracted customers by last contact costs ~150 ms on 1M rows); the page is sorted below.
      rows = this
        .shaped(`SELECT c.id, c.last_contact_at FROM customers c WHERE ${filter.sql.join(' AND ')} LIMIT ${cap}`)
        .all(...filter.params)
        .map((r) => idRowSchema.parse(r));
    }

    const capped = rows.length > SEARCH_MATCH_CAP || scanCapped;
    const kept = rows.slice(0, SEARCH_MATCH_CAP);
    kept.sort((a, b) => (b.last_contact_at ?? -1) - (a.last_contact_at ?? -1) || b.id - a.id);
    const page = kept.slice(search.offset, search.offset + search.limit).map((r) => r.id);
    return { items: this.summaries(page), total: kept.length, capped };
  }

  /** Ids matching the filters after `afterId`, ascending: walks the whole table in pages (export). */
  idsAfter(filters: CustomerFilters, dormantCutoff: number, afterId: number, limit: number): number[] {
    const filter = this.filterSql(filters, dormantCutoff);
    const where = ['c.id > ?', ...filter.sql].join(' AND ');
    return this
      .shaped(`SELECT c.id, c.last_contact_at FROM customers c WHERE ${where} ORDER BY c.id LIMIT ?`)
      .all(afterId, ...filter.params, limit)
      .map((r) => idRowSchema.parse(r).id);
  }

  /** Changes the owner and records who changed it from what to what. Returns the change. */
  reassign(id: number, toOwnerId: string | null, changedBy: string | null, reason: string, now: number): OwnerChange {
    return this.atomic(() => {
      const row = this.stmts.byId.get(id);
      if (!row) throw new AppError('NOT_FOUND', `Customer ${id} does not exist`, { id });
      const from = customerRowSchema.parse(row).owner_id;
      this.stmts.setOwner.run(toOwnerId, now, id);
      const changeId = Number(this.stmts.insertOwnerChange.run(id, from, toOwnerId, changedBy, reason, now).lastInsertRowid);
      return { id: changeId, customerId: id, fromOwnerId: from, toOwnerId, changedBy, reason, changedAt: now };
    });
  }

  /** Owner changes of one customer, newest first. */
  ownerHistory(id: number, limit = 100): OwnerChange[] {
    return this.stmts.ownerChanges.all(id, limit).map((raw) => {
      const r = ownerChangeRowSchema.parse(raw);
      return ownerChangeSchema.parse({
        id: r.id,
        customerId: r.customer_id,
        fromOwnerId: r.from_owner_id,
        toOwnerId: r.to_owner_id,
        changedBy: r.changed_by,
        reason: r.reason,
        changedAt: r.changed_at,
      });
    });
  }

  /** The local id of the customer the central server knows as `serverId`, or null. */
  idForServer(serverId: number): number | null {
    const row = this.shaped('SELECT id FROM customers WHERE server_id = ?').get(serverId) as { id: number } | undefined;
    return row?.id ?? null;
  }

  /** The central server's id of a local customer, or null (not on the server yet). */
  serverIdOf(id: number): number | null {
    const row = this.shaped('SELECT server_id FROM customers WHERE id = ?').get(id) as { server_id: number | null } | undefined;
    return row?.server_id ?? null;
  }

  /** Records the central server's id of a local customer (a server id moves to the newest holder). */
  setServerId(id: number, serverId: number): void {
    this.shaped('UPDATE customers SET server_id = NULL WHERE server_id = ? AND id <> ?').run(serverId, id);
    this.shaped('UPDATE customers SET server_id = ? WHERE id = ?').run(serverId, id);
  }

  /** Records the server version a customer matches, without a new revision (nothing else changed). */
  setServerVersion(id: number, serverVersion: number | null): void {
    this.shaped('UPDATE customers SET server_version = ? WHERE id = ?').run(serverVersion, id);
  }

  /** Deletes a customer with its phones, emails, addresses and search row; false when unknown. */
  remove(id: number): boolean {
    return this.atomic(() => {
      this.stmts.deleteSearch.run(id);
      return this.shaped('DELETE FROM customers WHERE id = ?').run(id).changes === 1;
    });
  }

  /** Records a contact: `last_contact_at` only moves forward. */
  touchLastContact(id: number, at: number): void {
    this.stmts.touch.run(at, id);
  }

  private filterSql(filters: CustomerFilters, dormantCutoff: number): { sql: string[]; params: unknown[] } {
    const sql: string[] = [];
    const params: unknown[] = [];
    const anyOf = (column: string, values: readonly string[] | undefined) => {
      if (!values || values.length === 0) return;
      sql.push(`c.${column} IN (${values.map(() => '?').join(',')})`);
      params.push(...values);
    };
    anyOf('status', filters.status);
    anyOf('level', filters.level);
    anyOf('type', filters.type);
    anyOf('source', filters.source);
    anyOf('lifecycle_stage', filters.lifecycleStage);
    if (filters.ownerId && filters.ownerId.length > 0) {
      const owners = filters.ownerId.filter((o): o is string => o !== null);
      const parts: string[] = [];
      if (owners.length > 0) {
        parts.push(`c.owner_id IN (${owners.map(() => '?').join(',')})`);
        params.push(...owners);
      }
      if (filters.ownerId.includes(null)) parts.push('c.owner_id IS NULL');
      sql.push(`(${parts.join(' OR ')})`);
    }
    if (filters.dormant === true) {
      sql.push('c.last_contact_at < ?');
      params.push(dormantCutoff);
    } else if (filters.dormant === false) {
      sql.push('(c.last_contact_at IS NULL OR c.last_contact_at >= ?)');
      params.push(dormantCutoff);
    }
    return { sql, params };
  }

  private columns(record: CustomerRecord) {
    const py = namePinyin(record.name);
    return {
      code: record.code,
      name: record.name,
      company: record.company,
      type: record.type,
      status: record.status,
      level: record.level,
      source: record.source,
      credit_rating: record.creditRating,
      points: record.points,
      owner_id: record.ownerId,
      tags_json: JSON.stringify(record.tags),
      birthday: record.birthday,
      preferred_language: record.preferredLanguage,
      preferences: record.preferences,
      notes: record.notes,
      allow_call: record.contactPermissions.call ? 1 : 0,
      allow_sms: record.contactPermissions.sms ? 1 : 0,
      allow_email: record.contactPermissions.email ? 1 : 0,
      lifetime_value: record.lifetimeValue,
      lifecycle_stage: record.lifecycleStage,
      last_contact_at: record.lastContactAt,
      server_version: record.serverVersion,
      name_pinyin: py.full,
      name_initials: py.initials,
    };
  }

  private writeChildren(id: number, record: CustomerRecord): void {
    record.phones.forEach((p, i) => this.stmts.insertPhone.run(id, i, p.raw, p.e164, p.extension, p.label, p.primary ? 1 : 0));
    record.emails.forEach((e, i) => this.stmts.insertEmail.run(id, i, e.address, e.label, e.primary ? 1 : 0));
    record.addresses.forEach((a, i) => this.stmts.insertAddress.run(id, i, a.label, a.line1, a.line2, a.city, a.region, a.postalCode, a.country));
    this.stmts.insertSearch.run(id, ...searchColumns(record));
  }

  private translate(err: unknown, code: string): unknown {
    if (err instanceof Error && /UNIQUE constraint failed: customers\.code/.test(err.message)) {
      return new AppError('CONFLICT', `Customer code "${code}" is already used by another customer`, { code });
    }
    return err;
  }
}
