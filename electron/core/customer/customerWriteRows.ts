import { phoneDigits } from '../../../shared/phone-number/normalize';
import type { CustomerRecord, PhoneRecord } from './customerRows';
import { namePinyin } from './pinyin';

/**
 * A customer as plain SQL parameter lists (structured-clone friendly: a bulk write may run in a
 * worker thread): the `customers` row, its phones, emails and addresses (the customer id is
 * prepended when written) and its `customer_search` row.
 */
export interface CustomerRows {
  customer: unknown[];
  phones: unknown[][];
  emails: unknown[][];
  addresses: unknown[][];
  search: unknown[];
}

/**
 * Columns of {@link CustomerRows.customer}, in order. `INSERT OR IGNORE`: a row whose code or
 * server id is taken locally is not written (the caller stores it the careful way instead).
 */
export const BULK_CUSTOMER_INSERT_SQL = `INSERT OR IGNORE INTO customers (code, name, company, type, status, level, source, credit_rating,
  points, owner_id, tags_json, birthday, preferred_language, preferences, notes, allow_call, allow_sms, allow_email, lifetime_value,
  lifecycle_stage, last_contact_at, server_version, revision, created_at, updated_at, name_pinyin, name_initials, server_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`;
export const BULK_PHONE_INSERT_SQL = 'INSERT INTO customer_phones (customer_id, position, raw, e164, extension, label, is_primary) VALUES (?, ?, ?, ?, ?, ?, ?)';
export const BULK_EMAIL_INSERT_SQL = 'INSERT INTO customer_emails (customer_id, position, address, label, is_primary) VALUES (?, ?, ?, ?, ?)';
export const BULK_ADDRESS_INSERT_SQL =
  'INSERT INTO customer_addresses (customer_id, position, label, line1, line2, city, region, postal_code, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
export const BULK_SEARCH_INSERT_SQL = 'INSERT INTO customer_search (rowid, name, company, code, phones, emails, tags, pinyin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * The phone terms of the search index: E.164 digits, national digits and the typed digits, a
 * digit string inside another one left out (it adds nothing to a substring index).
 */
export function searchPhoneText(phones: readonly PhoneRecord[]): string {
  const phoneTerms = new Set<string>();
  for (const p of phones) {
    if (p.e164) phoneTerms.add(p.e164.replace(/^\+/, ''));
    if (p.nationalDigits) phoneTerms.add(p.nationalDigits);
    const digits = phoneDigits(p.raw);
    if (digits) phoneTerms.add(digits);
  }
  const terms = [...phoneTerms];
  return terms.filter((t, i) => !terms.some((o, j) => j !== i && o.length > t.length && o.includes(t))).join(' ');
}

/** The `customer_search` columns after the row id: what a search matches for this customer. */
export function searchColumns(record: CustomerRecord): unknown[] {
  const py = namePinyin(record.name);
  return [
    record.name,
    record.company,
    record.code,
    searchPhoneText(record.phones),
    record.emails.map((e) => e.address).join(' '),
    record.tags.join(' '),
    py.full ? `${py.full} ${py.initials}` : '',
  ];
}

/** A new customer bound to server id `serverId`, as the rows a bulk write stores. */
export function customerRows(record: CustomerRecord, now: number, serverId: number | null): CustomerRows {
  const py = namePinyin(record.name);
  return {
    customer: [
      record.code,
      record.name,
      record.company,
      record.type,
      record.status,
      record.level,
      record.source,
      record.creditRating,
      record.points,
      record.ownerId,
      JSON.stringify(record.tags),
      record.birthday,
      record.preferredLanguage,
      record.preferences,
      record.notes,
      record.contactPermissions.call ? 1 : 0,
      record.contactPermissions.sms ? 1 : 0,
      record.contactPermissions.email ? 1 : 0,
      record.lifetimeValue,
      record.lifecycleStage,
      record.lastContactAt,
      record.serverVersion,
      now,
      now,
      py.full,
      py.initials,
      serverId,
    ],
    phones: record.phones.map((p, i) => [i, p.raw, p.e164, p.extension, p.label, p.primary ? 1 : 0]),
    emails: record.emails.map((e, i) => [i, e.address, e.label, e.primary ? 1 : 0]),
    addresses: record.addresses.map((a, i) => [i, a.label, a.line1, a.line2, a.city, a.region, a.postalCode, a.country]),
    search: searchColumns(record),
  };
}
