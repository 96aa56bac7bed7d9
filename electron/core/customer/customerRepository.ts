import { z } from 'zod';
import { AppError } from '../../../shared/api/result';
import { customerSchema, ownerChangeSchema, type Customer, type CustomerSummary, type OwnerChange } from '../../../shared/customer/schema';
import { type CustomerRecord, customerRowSchema, phoneRowSchema, emailRowSchema, addressRowSchema, idRowSchema, ownerChangeRowSchema, parseTags } from './customerRows';
import { CustomerQueries } from './customerQueries';

export { FTS_SCAN_CAP, ftsPhrase, parseQuery, type CustomerRecord, type ParsedQuery, type PhoneRecord } from './customerRows';

/**
 * Customer storage: the aggregate (customer + phones + emails + addresses) is written in one
 * transaction together with its row in the `customer_search` FTS table. Every query is bounded
 * (LIMIT), so no search can stall call handling; rows are parsed (zod) before they leave.
 */
export class CustomerRepository extends CustomerQueries {
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

}
