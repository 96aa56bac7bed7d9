import fs from 'node:fs';
import path from 'node:path';
import type { InvokeHandlers } from '../../../shared/api/contract';
import type { AudioDevice, DiagnosticsSaved, diagnosticsInvokeChannels } from '../../../shared/diagnostics/api';
import type { SecretStore } from '../adapters';
import type { Logger } from '../log/logger';
import type { SettingsService } from '../config/settingsService';
import { bundleFileName, collectBundle, previewOf, writeBundle, zipBundle, type DiagnosticsSources } from './diagnosticsBundle';

/** Names of every secret the core keeps in the OS keychain. */
export interface DiagnosticsDeps {
  sources: Omit<DiagnosticsSources, 'secretValues'>;
  secrets: SecretStore;
  /** The keychain entries whose values must never leave the machine. */
  secretNames: readonly string[];
  /** Files holding secrets (the CTI token). */
  secretFiles: readonly string[];
  settings: SettingsService;
  /** Where bundles are saved when no file is given. */
  dir: string;
  logger: Logger;
}

/** The diagnostics domain as the composition root wires it. */
export interface DiagnosticsModule {
  handlers(): Pick<InvokeHandlers, keyof typeof diagnosticsInvokeChannels>;
  /** Writes a bundle to `file` (default: a new file in the diagnostics folder). */
  save(audioDevices: AudioDevice[] | null, file?: string): Promise<DiagnosticsSaved>;
}

/**
 * The diagnostics bundle: a preview of what it holds, then the zip in the data directory's
 * `diagnostics` folder (or a file the command line names). Secrets are removed by value (keychain
 * entries, CTI token, TURN credentials) and by form (digest responses, bearer tokens).
 */
export function createDiagnosticsModule(deps: DiagnosticsDeps): DiagnosticsModule {
  const sources: DiagnosticsSources = {
    ...deps.sources,
    secretValues: async () => {
      const values: string[] = [];
      for (const name of deps.secretNames) {
        const v = await deps.secrets.get(name).catch(() => null);
        if (v) values.push(v);
      }
      for (const file of deps.secretFiles) {
        try {
          const v = fs.readFileSync(file, 'utf8').trim();
          if (v) values.push(v);
        } catch {
          // Not there: nothing to remove.
        }
      }
      for (const server of deps.settings.get('sip.iceServers')) if (server.credential) values.push(server.credential);
      return values;
    },
  };

  async function save(audioDevices: AudioDevice[] | null, file?: string): Promise<DiagnosticsSaved> {
    const now = sources.now();
    const bundle = await collectBundle(sources, audioDevices);
    const target = path.resolve(file ?? path.join(deps.dir, bundleFileName(now)));
    const bytes = writeBundle(target, zipBundle(bundle, now));
    deps.logger.info('diagnostics bundle saved', { file: target, bytes, files: bundle.entries.length, secretsRemoved: bundle.secretsRemoved });
    return { ...previewOf(bundle), file: target, bytes };
  }

  return {
    save,
    handlers: () => ({
      'diagnostics:preview': async ({ audioDevices }) => previewOf(await collectBundle(sources, audioDevices)),
      'diagnostics:save': ({ audioDevices }) => save(audioDevices),
    }),
  };
}
