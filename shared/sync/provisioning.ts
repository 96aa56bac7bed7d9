import { z } from 'zod';

/**
 * Provisioning from the central server (issue 14, item 2): an admin assigns each user a SIP
 * account (and their team and queues); the desktop fetches it at sign-in (`GET /me/provisioning`),
 * keeps the password in the OS keychain and registers without the agent typing SIP details.
 */

/** A SIP address of record: `sip:1001@pbx.example` (same rule as the `sip.uri` setting). */
export const provisionedSipUriSchema = z
  .string()
  .trim()
  .regex(/^sips?:[^\s@]+@[^\s@]+$/i, 'must be a SIP URI such as sip:1001@pbx.example');

/** The PBX WebSocket address: `wss://pbx.example:7443` (same rule as the `sip.server` setting). */
export const provisionedSipServerSchema = z
  .string()
  .trim()
  .regex(/^wss?:\/\/[^\s/]+/i, 'must be a ws:// or wss:// URL');

/** What an admin assigns to one user (`PUT /admin/sip-accounts/:id`, `assign-sip`, one CSV row). */
export const sipAccountInputSchema = z.object({
  uri: provisionedSipUriSchema,
  server: provisionedSipServerSchema,
  /** Digest user name when it differs from the URI's user part. */
  authUser: z.string().trim().max(128).default(''),
  password: z.string().min(1, 'must not be empty').max(256),
  displayName: z.string().trim().max(128).default(''),
});
/** An admin's SIP account assignment (input). */
export type SipAccountInput = z.input<typeof sipAccountInputSchema>;

/** A SIP account as the admin list shows it: never the password. */
export const sipAccountSummarySchema = z.object({
  userId: z.string(),
  uri: z.string(),
  server: z.string(),
  authUser: z.string(),
  displayName: z.string(),
  updatedAt: z.number(),
});
/** A SIP account as the admin list shows it. */
export type SipAccountSummary = z.infer<typeof sipAccountSummarySchema>;

/** One queue the user is a member of. */
export const provisionedQueueSchema = z.object({ id: z.string(), name: z.string(), skill: z.number().int() });

/** `GET /me/provisioning`: what the signed-in user's desktop is given. */
export const provisioningSchema = z.object({
  /** The SIP account with its password, or null when none is assigned. */
  sip: z
    .object({
      uri: provisionedSipUriSchema,
      server: provisionedSipServerSchema,
      authUser: z.string(),
      password: z.string(),
      displayName: z.string(),
    })
    .nullable(),
  team: z.string().nullable(),
  queues: z.array(provisionedQueueSchema),
});
/** What a desktop is given at sign-in. */
export type Provisioning = z.infer<typeof provisioningSchema>;

/**
 * CSV columns of the bulk assignment (header row required; order free; unknown columns refused):
 * `user` and `sip_uri`, `sip_server`, `sip_password` are required; `auth_user`, `display_name`,
 * `team` (empty: unchanged) and `queues` (`sales:8;support`: queue[:skill], replaces the user's
 * memberships; empty: unchanged) are optional.
 */
export const SIP_ACCOUNT_CSV_COLUMNS = ['user', 'sip_uri', 'sip_server', 'sip_password', 'auth_user', 'display_name', 'team', 'queues'] as const;
/** Columns a bulk assignment file must have. */
export const SIP_ACCOUNT_CSV_REQUIRED = ['user', 'sip_uri', 'sip_server', 'sip_password'] as const;

/** What a bulk assignment did: rows applied, and each refused row with its line and reason. */
export const sipAccountImportReportSchema = z.object({
  assigned: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), user: z.string(), reason: z.string() })),
});
/** What a bulk assignment did. */
export type SipAccountImportReport = z.infer<typeof sipAccountImportReportSchema>;
