import { z } from 'zod';
import { epochMsSchema } from '../sync/safeValues';

/**
 * Customer domain types and their zod schemas: the shape of a customer record everywhere (store,
 * API contract, renderer). Enumerations are stable machine values; the UI translates them.
 */

/** Sales status of a customer. */
export const CUSTOMER_STATUSES = ['potential', 'intent', 'following-up', 'contracted', 'invalid'] as const;
/** A sales status. */
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/** A person or an organisation. */
export const CUSTOMER_TYPES = ['person', 'company'] as const;
/** Person or company. */
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

/** Service tier, lowest first. */
export const CUSTOMER_LEVELS = ['standard', 'silver', 'gold', 'platinum', 'vip'] as const;
/** A service tier. */
export type CustomerLevel = (typeof CUSTOMER_LEVELS)[number];

/** Where the customer came from. */
export const CUSTOMER_SOURCES = ['inbound-call', 'outbound-call', 'website', 'referral', 'event', 'advertising', 'import', 'other'] as const;
/** A customer source. */
export type CustomerSource = (typeof CUSTOMER_SOURCES)[number];

/** Credit rating, best first. */
export const CREDIT_RATINGS = ['AAA', 'AA', 'A', 'B', 'C', 'D'] as const;
/** A credit rating. */
export type CreditRating = (typeof CREDIT_RATINGS)[number];

/** Customer lifecycle stage. */
export const LIFECYCLE_STAGES = ['acquisition', 'growth', 'maturity', 'decline', 'lapsed'] as const;
/** A lifecycle stage. */
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** Labels of phone numbers. */
export const PHONE_LABELS = ['mobile', 'work', 'home', 'fax', 'other'] as const;
/** A phone label. */
export type PhoneLabel = (typeof PHONE_LABELS)[number];

/** Labels of emails and addresses. */
export const CONTACT_LABELS = ['work', 'home', 'billing', 'shipping', 'other'] as const;
/** An email or address label. */
export type ContactLabel = (typeof CONTACT_LABELS)[number];

/** Customer code: letters, digits and `-_.`, 1 to 40 characters, case kept. */
export const customerCodeSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(40, 'is longer than 40 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'may contain only letters, digits, "-", "_" and "."');

/** A birthday: `YYYY-MM-DD`, or `--MM-DD` when the year is unknown. The date must exist. */
export const birthdaySchema = z
  .string()
  .trim()
  .regex(/^(\d{4}|-)-\d{2}-\d{2}$/, 'must be YYYY-MM-DD or --MM-DD')
  .refine((v) => parseBirthday(v) !== null, 'is not a real date');

/** Reads a birthday string into numbers; null when malformed or not a real date. */
export function parseBirthday(value: string): { year: number | null; month: number; day: number } | null {
  const m = /^(?:(\d{4})|-)-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const year = m[1] ? Number(m[1]) : null;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year ?? 2000, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  if (year !== null && (year < 1900 || year > 2100)) return null;
  return { year, month, day };
}

const shortText = (max: number) => z.string().trim().max(max, `is longer than ${max} characters`);

/** A phone number as stored: raw as entered plus its E.164 match key (null when unreadable). */
export const customerPhoneSchema = z.object({
  raw: shortText(60).min(1, 'is required'),
  e164: z.string().nullable(),
  extension: z.string().nullable(),
  label: z.enum(PHONE_LABELS),
  primary: z.boolean(),
});
/** A stored phone number. */
export type CustomerPhone = z.infer<typeof customerPhoneSchema>;

/** A phone number as entered; the E.164 key is computed on write. */
export const customerPhoneInputSchema = z.object({
  raw: shortText(60).min(1, 'is required'),
  label: z.enum(PHONE_LABELS).default('mobile'),
  primary: z.boolean().default(false),
});
/** A phone number as entered. */
export type CustomerPhoneInput = z.input<typeof customerPhoneInputSchema>;

/** An email address. */
export const customerEmailSchema = z.object({
  address: z.string().trim().max(254).pipe(z.email('is not a valid email address')),
  label: z.enum(CONTACT_LABELS).default('work'),
  primary: z.boolean().default(false),
});
/** An email address. */
export type CustomerEmail = z.output<typeof customerEmailSchema>;

/** A postal address. */
export const customerAddressSchema = z.object({
  label: z.enum(CONTACT_LABELS).default('work'),
  line1: shortText(200).default(''),
  line2: shortText(200).default(''),
  city: shortText(100).default(''),
  region: shortText(100).default(''),
  postalCode: shortText(20).default(''),
  country: shortText(2).default(''),
});
/** A postal address. */
export type CustomerAddress = z.output<typeof customerAddressSchema>;

/** What the customer agreed to be contacted by. */
export const contactPermissionsSchema = z.object({
  call: z.boolean(),
  sms: z.boolean(),
  email: z.boolean(),
});
/** Contact permissions. */
export type ContactPermissions = z.infer<typeof contactPermissionsSchema>;

const tagSchema = z.string().trim().min(1).max(40);

/** Editable fields of a customer (everything the agent or an import can set). */
export const customerFieldsSchema = z.object({
  name: shortText(200).min(1, 'is required'),
  company: shortText(200).default(''),
  type: z.enum(CUSTOMER_TYPES).default('person'),
  status: z.enum(CUSTOMER_STATUSES).default('potential'),
  level: z.enum(CUSTOMER_LEVELS).default('standard'),
  source: z.enum(CUSTOMER_SOURCES).default('other'),
  creditRating: z.enum(CREDIT_RATINGS).nullable().default(null),
  points: z.number().int().min(0).max(1_000_000_000).default(0),
  ownerId: shortText(100).min(1).nullable().default(null),
  tags: z.array(tagSchema).max(50).default([]).transform((tags) => [...new Set(tags)]),
  birthday: birthdaySchema.nullable().default(null),
  preferredLanguage: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as zh-CN')
    .nullable()
    .default(null),
  preferences: shortText(4000).default(''),
  notes: shortText(20000).default(''),
  contactPermissions: contactPermissionsSchema.default({ call: true, sms: true, email: true }),
  lifetimeValue: z.number().min(0).max(1e13).default(0),
  lifecycleStage: z.enum(LIFECYCLE_STAGES).default('acquisition'),
  lastContactAt: epochMsSchema.nullable().default(null),
  phones: z.array(customerPhoneInputSchema).max(20).default([]),
  emails: z.array(customerEmailSchema).max(20).default([]),
  addresses: z.array(customerAddressSchema).max(10).default([]),
});

/**
 * Schema of `customer:save`: create (no `id`) or update (`id` and the `revision` the editor loaded,
 * so a concurrent edit is refused instead of overwritten). Without `code` a new one is generated.
 * The owner is changed only through `customer:reassign`, which records the change.
 */
export const customerSaveSchema = customerFieldsSchema.extend({
  id: z.number().int().positive().optional(),
  revision: z.number().int().nonnegative().optional(),
  code: customerCodeSchema.optional(),
});
/** What a caller passes to save a customer. */
export type CustomerSaveInput = z.input<typeof customerSaveSchema>;
/** A validated save request. */
export type CustomerSave = z.output<typeof customerSaveSchema>;

/** A full customer record as read from the store. */
export const customerSchema = z.object({
  id: z.number().int().positive(),
  code: z.string(),
  name: z.string(),
  company: z.string(),
  type: z.enum(CUSTOMER_TYPES),
  status: z.enum(CUSTOMER_STATUSES),
  level: z.enum(CUSTOMER_LEVELS),
  source: z.enum(CUSTOMER_SOURCES),
  creditRating: z.enum(CREDIT_RATINGS).nullable(),
  points: z.number().int(),
  ownerId: z.string().nullable(),
  tags: z.array(z.string()),
  birthday: z.string().nullable(),
  preferredLanguage: z.string().nullable(),
  preferences: z.string(),
  notes: z.string(),
  contactPermissions: contactPermissionsSchema,
  lifetimeValue: z.number(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES),
  lastContactAt: z.number().nullable(),
  /** Version the central server last confirmed; null before the first sync. */
  serverVersion: z.number().int().nullable(),
  /** Local edit counter, for optimistic concurrency between editors. */
  revision: z.number().int().nonnegative(),
  createdAt: z.number(),
  updatedAt: z.number(),
  phones: z.array(customerPhoneSchema),
  emails: z.array(z.object({ address: z.string(), label: z.enum(CONTACT_LABELS), primary: z.boolean() })),
  addresses: z.array(
    z.object({
      label: z.enum(CONTACT_LABELS),
      line1: z.string(),
      line2: z.string(),
      city: z.string(),
      region: z.string(),
      postalCode: z.string(),
      country: z.string(),
    }),
  ),
});
/** A full customer record. */
export type Customer = z.infer<typeof customerSchema>;

/** A search result row: enough for a list, a chooser or a quick card. */
export const customerSummarySchema = z.object({
  id: z.number().int().positive(),
  code: z.string(),
  name: z.string(),
  company: z.string(),
  type: z.enum(CUSTOMER_TYPES),
  status: z.enum(CUSTOMER_STATUSES),
  level: z.enum(CUSTOMER_LEVELS),
  lifecycleStage: z.enum(LIFECYCLE_STAGES),
  ownerId: z.string().nullable(),
  tags: z.array(z.string()),
  lastContactAt: z.number().nullable(),
  /** The primary (else first) phone, raw as entered. */
  primaryPhone: z.string().nullable(),
  primaryEmail: z.string().nullable(),
});
/** A search result row. */
export type CustomerSummary = z.infer<typeof customerSummarySchema>;

/** Search filters; each array means "any of". */
export const customerFiltersSchema = z.object({
  status: z.array(z.enum(CUSTOMER_STATUSES)).max(CUSTOMER_STATUSES.length).optional(),
  level: z.array(z.enum(CUSTOMER_LEVELS)).max(CUSTOMER_LEVELS.length).optional(),
  type: z.array(z.enum(CUSTOMER_TYPES)).max(CUSTOMER_TYPES.length).optional(),
  source: z.array(z.enum(CUSTOMER_SOURCES)).max(CUSTOMER_SOURCES.length).optional(),
  lifecycleStage: z.array(z.enum(LIFECYCLE_STAGES)).max(LIFECYCLE_STAGES.length).optional(),
  /** Owner agent ids; `null` in the list means "no owner". */
  ownerId: z.array(z.string().max(100).nullable()).max(50).optional(),
  /** true: only dormant customers; false: only non-dormant ones. */
  dormant: z.boolean().optional(),
});
/** Search filters. */
export type CustomerFilters = z.infer<typeof customerFiltersSchema>;

/** Most rows a search considers before paging; larger match sets are not ranked. */
export const SEARCH_MATCH_CAP = 1000;

/** Longest search text (the search box stops there: `maxLength`). */
export const SEARCH_QUERY_MAX = 200;

/** Schema of `customer:search`. */
export const customerSearchSchema = z.object({
  query: z.string().max(SEARCH_QUERY_MAX).default(''),
  filters: customerFiltersSchema.default({}),
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).max(SEARCH_MATCH_CAP).default(0),
});
/** What a caller passes to search. */
export type CustomerSearchInput = z.input<typeof customerSearchSchema>;
/** A validated search request. */
export type CustomerSearch = z.output<typeof customerSearchSchema>;

/** Schema of a search answer. */
export const customerSearchResultSchema = z.object({
  items: z.array(customerSummarySchema),
  /** Matches counted, up to {@link SEARCH_MATCH_CAP}. */
  total: z.number().int().nonnegative(),
  /** True when there were more matches than counted: ask the agent to refine. */
  capped: z.boolean(),
});
/** A search answer. */
export type CustomerSearchResult = z.infer<typeof customerSearchResultSchema>;

/** Schema of `customer:reassign`. */
export const customerReassignSchema = z.object({
  id: z.number().int().positive(),
  ownerId: shortText(100).min(1).nullable(),
  changedBy: shortText(100).min(1).nullable().default(null),
  reason: shortText(500).default(''),
});
/** A reassignment request. */
export type CustomerReassign = z.output<typeof customerReassignSchema>;

/** One recorded owner change. */
export const ownerChangeSchema = z.object({
  id: z.number().int().positive(),
  customerId: z.number().int().positive(),
  fromOwnerId: z.string().nullable(),
  toOwnerId: z.string().nullable(),
  changedBy: z.string().nullable(),
  reason: z.string(),
  changedAt: z.number(),
});
/** One recorded owner change. */
export type OwnerChange = z.infer<typeof ownerChangeSchema>;
