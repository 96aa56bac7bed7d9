import type { SecretStore } from '../adapters';
import type { SettingsService } from '../config/settingsService';
import type { CustomerModule } from '../customer/customerModule';
import type { Logger } from '../log/logger';
import { SIP_PASSWORD_SECRET } from '../phone/phoneController';

/** The demo profile `npm start` runs when nothing is configured. */
export interface DemoProfile {
  /** WebSocket URL of the development PBX (`npm run pbx`), when it runs. */
  sipServer?: string;
  /** Generated customers to seed into an empty database. */
  customers: number;
}

/** The demo agent's account on the development PBX (resources/pbx). */
export const DEMO_AGENT = { user: '1001', password: 'pw1001', domain: 'calldesk.test', displayName: 'Demo Agent' } as const;

/** Reads the demo profile from the environment: `CALLDESK_DEMO=1` (+ `CALLDESK_DEMO_SIP_SERVER`). */
export function demoProfileFromEnv(env: Record<string, string | undefined>): DemoProfile | undefined {
  if (env.CALLDESK_DEMO !== '1') return undefined;
  const customers = Number(env.CALLDESK_DEMO_CUSTOMERS ?? 2000);
  return { sipServer: env.CALLDESK_DEMO_SIP_SERVER || undefined, customers: Number.isInteger(customers) && customers >= 0 ? customers : 2000 };
}

/**
 * Fills what is still empty with demo data, never overwriting anything real: the demo SIP account
 * when no account is configured (and the dev PBX runs), demo customers when the table is empty.
 */
export async function applyDemoProfile(profile: DemoProfile, deps: { settings: SettingsService; secrets: SecretStore; customers: CustomerModule; logger: Logger }): Promise<void> {
  const { settings, secrets, customers, logger } = deps;
  if (profile.sipServer && settings.get('sip.uri') === '' && settings.get('sip.server') === '') {
    await secrets.set(SIP_PASSWORD_SECRET, DEMO_AGENT.password);
    settings.set('sip.server', profile.sipServer);
    settings.set('sip.displayName', DEMO_AGENT.displayName);
    settings.set('sip.uri', `sip:${DEMO_AGENT.user}@${DEMO_AGENT.domain}`);
    logger.info('demo SIP account configured', { aor: `sip:${DEMO_AGENT.user}@${DEMO_AGENT.domain}` });
  }
  if (profile.customers > 0 && customers.service.repository.count() === 0) {
    const written = customers.seedDemo(profile.customers, {});
    logger.info('demo customers seeded', { count: written });
  }
}
