import type { Provisioning } from '../../../shared/sync/provisioning';
import type { SecretStore } from '../adapters';
import type { SettingsService } from '../config/settingsService';
import type { Logger } from '../log/logger';
import { SIP_PASSWORD_SECRET } from '../phone/phoneController';
import type { MetaStore } from '../store/metaStore';

/** Meta key: the provisioned account's settings (no password) and the user's team and queues. */
const PROVISIONED_KEY = 'sync.provisioning';

/** What is kept of a provisioning between starts (the password stays in the OS keychain). */
export interface ProvisionedInfo {
  /** The SIP settings the server assigned (`sip.uri`, `sip.server`, `sip.authUser`, `sip.displayName`), or null. */
  sip: Record<string, string> | null;
  team: string | null;
  queues: { id: string; name: string; skill: number }[];
}

/** What the applier needs from the core. */
export interface ProvisioningApplierDeps {
  settings: SettingsService;
  secrets: SecretStore;
  meta: MetaStore;
  logger: Logger;
  /** Called after a new SIP password was stored (the phone re-registers with it). */
  onSipPassword?: () => void;
}

/**
 * Applies what the central server provisioned for the signed-in user: the SIP account becomes
 * the `provisioning` part of the central settings layer (locked, shown as "set by the central
 * server"), its password goes to the OS keychain (never SQLite), and the phone registers with it
 * without the agent typing anything. Sign-out removes the account and its password again, so the
 * next agent on a shared desktop never uses it.
 */
export class ProvisioningApplier {
  constructor(private readonly deps: ProvisioningApplierDeps) {}

  /** Restores the last provisioned account at start (offline starts register as before). */
  restore(): void {
    const info = this.info();
    if (info?.sip) this.deps.settings.setCentral(info.sip, 'provisioning');
  }

  /** The last provisioning received (team, queues, account without password), or null. */
  info(): ProvisionedInfo | null {
    return this.deps.meta.getJson<ProvisionedInfo | null>(PROVISIONED_KEY, null);
  }

  /** Applies a provisioning from the server. */
  async apply(p: Provisioning): Promise<void> {
    const { settings, secrets, logger } = this.deps;
    const had = this.info()?.sip ?? null;
    if (p.sip) {
      const sip = { 'sip.uri': p.sip.uri, 'sip.server': p.sip.server, 'sip.authUser': p.sip.authUser, 'sip.displayName': p.sip.displayName };
      const passwordChanged = (await secrets.get(SIP_PASSWORD_SECRET).catch(() => null)) !== p.sip.password;
      // The password first: the phone reads it when the account settings below change.
      if (passwordChanged) await secrets.set(SIP_PASSWORD_SECRET, p.sip.password);
      const accountChanged = JSON.stringify(had) !== JSON.stringify(sip) || settings.get('sip.uri') !== sip['sip.uri'];
      settings.setCentral(sip, 'provisioning');
      if (passwordChanged && !accountChanged) this.deps.onSipPassword?.();
      logger.info('SIP account provisioned by the central server', { aor: p.sip.uri, server: p.sip.server, team: p.team, queues: p.queues.map((q) => q.id) });
    } else if (had) {
      await this.clear('no SIP account is assigned any more');
    }
    this.deps.meta.setJson(PROVISIONED_KEY, {
      sip: p.sip ? { 'sip.uri': p.sip.uri, 'sip.server': p.sip.server, 'sip.authUser': p.sip.authUser, 'sip.displayName': p.sip.displayName } : null,
      team: p.team,
      queues: p.queues,
    } satisfies ProvisionedInfo);
  }

  /** Removes the provisioned account and its password (sign-out, or the admin removed it). */
  async clear(reason: string): Promise<void> {
    const had = this.info();
    this.deps.meta.delete(PROVISIONED_KEY);
    if (!had?.sip) return;
    await this.deps.secrets.delete(SIP_PASSWORD_SECRET).catch((err: Error) => this.deps.logger.warn('provisioned SIP password not removed', { error: err.message }));
    this.deps.settings.setCentral({}, 'provisioning');
    this.deps.logger.info('provisioned SIP account removed', { reason });
  }
}
