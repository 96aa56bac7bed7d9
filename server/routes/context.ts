import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/api/result';
import type { UserRole } from '../../shared/sync/protocol';
import type { AuthService } from '../auth/authService';
import type { Principal, TokenSigner } from '../auth/tokens';
import type { ConfigService } from '../services/configService';
import type { CustomerService } from '../services/customers';
import type { PullService } from '../services/pull';
import type { PushService } from '../services/push';
import type { RealtimeHub } from '../services/realtime';
import type { ReportService } from '../services/reports';
import type { TicketReadService } from '../services/ticketReads';
import type { UserService } from '../services/users';

/** Who the admin command line acts as when it goes through a running server's admin API. */
export const CLI_PRINCIPAL: Principal = { id: 'cli', role: 'admin', team: null };

/** Any signed-in role. */
export const ANY: UserRole[] = [];

/** Largest customer CSV accepted by the import (bytes). */
export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

/** Authenticates a request and checks its role; throws 401/403. */
export type Guard = (req: FastifyRequest, ...roles: UserRole[]) => Principal;

/** What route modules get: the guard and the services (routes hold no SQL and no business rule). */
export interface RouteContext {
  need: Guard;
  auth: AuthService;
  users: UserService;
  config: ConfigService;
  customers: CustomerService;
  tickets: TicketReadService;
  reports: ReportService;
  push: PushService;
  pull: PullService;
  realtime: RealtimeHub;
}

/**
 * The guard of every route: a valid access token (or, for admin routes, the per-launch token of
 * the admin command line on this machine) with one of `roles` (none given: any signed-in user).
 */
export function createGuard(signer: TokenSigner, localAdminToken: string | undefined): Guard {
  return (req, ...roles) => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (\S+)$/.exec(header);
    const local = m && localAdminToken && roles.includes('admin') && sameSecret(m[1]!, localAdminToken) ? CLI_PRINCIPAL : null;
    const p = local ?? (m ? signer.verify(m[1]!) : null);
    if (!p) throw new AppError('UNAUTHORIZED', 'Sign in first (missing, invalid or expired access token)');
    if (roles.length > 0 && !roles.includes(p.role)) throw new AppError('FORBIDDEN', `This needs the role ${roles.join(' or ')}`);
    req.principal = p;
    return p;
  };
}

/** Compares secrets in constant time. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
