import { z } from 'zod';
import type { Customer, CustomerAddress, CustomerEmail, CustomerPhone } from '../../../shared/customer/schema';

/** Rows and query parsing of the customer tables (used by customerQueries.ts and customerRepository.ts). */
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

export const customerRowSchema = z.object({
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
export const phoneRowSchema = z.object({ raw: z.string(), e164: z.string().nullable(), extension: z.string().nullable(), label: z.string(), is_primary: z.number() });
export const emailRowSchema = z.object({ address: z.string(), label: z.string(), is_primary: z.number() });
export const addressRowSchema = z.object({
  label: z.string(),
  line1: z.string(),
  line2: z.string(),
  city: z.string(),
  region: z.string(),
  postal_code: z.string(),
  country: z.string(),
});
/** A search row: the customer columns a summary shows, plus the primary phone and email. */
export const summaryRowSchema = customerRowSchema
  .pick({ id: true, code: true, name: true, company: true, type: true, status: true, level: true, lifecycle_stage: true, owner_id: true, tags_json: true, last_contact_at: true })
  .extend({ primary_phone: z.string().nullable(), primary_email: z.string().nullable() });
export const idRowSchema = z.object({ id: z.number(), last_contact_at: z.number().nullable() });
export const ftsRowSchema = z.object({ id: z.number() });
export const ftsTextRowSchema = z.object({ id: z.number(), text: z.string() });
export const ownerChangeRowSchema = z.object({
  id: z.number(),
  customer_id: z.number(),
  from_owner_id: z.string().nullable(),
  to_owner_id: z.string().nullable(),
  changed_by: z.string().nullable(),
  reason: z.string(),
  changed_at: z.number(),
});

export function parseTags(json: string): string[] {
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
export const MAX_CHAR = '\u{10FFFF}';
export const SUMMARY_COLUMNS = `c.id, c.code, c.name, c.company, c.type, c.status, c.level, c.lifecycle_stage, c.owner_id, c.tags_json, c.last_contact_at,
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
