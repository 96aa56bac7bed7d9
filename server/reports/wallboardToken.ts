import crypto from 'node:crypto';
import { z } from 'zod';
import { KPI_IDS } from '../../shared/kpi/definitions';
import { LANGUAGES } from '../../shared/settings/definitions';

/** What an admin chooses for a wallboard (issue 12 item 5). */
export const wallboardSpecSchema = z.object({
  /** Shown at the top of the screen. */
  title: z.string().trim().max(100).default(''),
  /** Queues shown, in order (at least one). */
  queues: z.array(z.string().min(1).max(100)).min(1).max(20),
  /** KPIs shown per queue, in order. */
  kpis: z.array(z.enum(KPI_IDS)).min(1).max(12),
  lang: z.enum(LANGUAGES).default('zh-CN'),
});
/** A wallboard's settings. */
export type WallboardSpec = z.infer<typeof wallboardSpecSchema>;

/**
 * Read-only wallboard tokens: the settings themselves, signed with the server secret (HMAC-SHA256,
 * a separate key derived from it, so a wallboard token is never an access token and an access
 * token is never a wallboard token). It grants one thing: the chosen queues' KPIs on the wallboard
 * page. Revoking every wallboard token = changing `CALLDESK_SERVER_SECRET` (no per-token list yet).
 */
export class WallboardTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = crypto.createHmac('sha256', secret).update('calldesk wallboard token v1').digest();
  }

  /** A token for `spec`. */
  sign(spec: WallboardSpec): string {
    const body = Buffer.from(JSON.stringify(spec)).toString('base64url');
    return `wb1.${body}.${this.mac(body)}`;
  }

  /** The settings of a genuine token; null for anything else. */
  verify(token: string): WallboardSpec | null {
    const m = /^wb1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
    if (!m) return null;
    const want = Buffer.from(this.mac(m[1]!));
    const got = Buffer.from(m[2]!);
    if (want.length !== got.length || !crypto.timingSafeEqual(want, got)) return null;
    try {
      return wallboardSpecSchema.parse(JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')));
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return crypto.createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
