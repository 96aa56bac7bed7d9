import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/api/result';
import { SEARCH_MATCH_CAP, customerSummarySchema, type CustomerFilters, type CustomerSearch, type CustomerSearchResult, type CustomerSummary } from '../../../shared/customer/schema';
import { namePinyin } from './pinyin';
import { type CustomerRecord, summaryRowSchema, idRowSchema, ftsRowSchema, ftsTextRowSchema, parseTags, FTS_SCAN_CAP, MAX_CHAR, SUMMARY_COLUMNS, ftsPhrase, parseQuery } from './customerRows';
import { searchColumns } from './customerWriteRows';

/**
 * The lower layer of {@link CustomerRepository}: prepared statements, transactions, the row
 * writers, search and filters. The repository adds the aggregate reads and writes.
 */
export abstract class CustomerQueries {
  protected readonly stmts;
  /** Statements built per query shape (search, summaries), reused: preparing costs more than running. */
  protected readonly shapes = new Map<string, Database.Statement>();

  constructor(protected readonly db: Database.Database) {
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

  protected shaped(sql: string): Database.Statement {
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
  protected atomic<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.db.transaction(fn)();
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


  protected filterSql(filters: CustomerFilters, dormantCutoff: number): { sql: string[]; params: unknown[] } {
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

  protected columns(record: CustomerRecord) {
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

  protected writeChildren(id: number, record: CustomerRecord): void {
    record.phones.forEach((p, i) => this.stmts.insertPhone.run(id, i, p.raw, p.e164, p.extension, p.label, p.primary ? 1 : 0));
    record.emails.forEach((e, i) => this.stmts.insertEmail.run(id, i, e.address, e.label, e.primary ? 1 : 0));
    record.addresses.forEach((a, i) => this.stmts.insertAddress.run(id, i, a.label, a.line1, a.line2, a.city, a.region, a.postalCode, a.country));
    this.stmts.insertSearch.run(id, ...searchColumns(record));
  }

  protected translate(err: unknown, code: string): unknown {
    if (err instanceof Error && /UNIQUE constraint failed: customers\.code/.test(err.message)) {
      return new AppError('CONFLICT', `Customer code "${code}" is already used by another customer`, { code });
    }
    return err;
  }
}
