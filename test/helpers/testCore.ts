import path from 'node:path';
import type { CoreAdapters } from '../../electron/core/adapters';
import { corePaths } from '../../electron/core/config/paths';
import { createCore, type Core, type CoreConfig } from '../../electron/core/createCore';
import { createMemorySink, type LogRecord } from '../../electron/core/log/logger';
import { createFakeNotifier, createMemorySecretStore } from '../fakes/adapters';
import { tempDataDir } from './hostProcess';

/** A core on a temp folder with an in-memory log sink. */
export async function createTestCore(opts: { dataDir?: string; env?: Record<string, string>; adapters?: Partial<CoreAdapters>; platform?: string } = {}): Promise<{ core: Core; logs: LogRecord[]; dataDir: string }> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const sink = createMemorySink();
  const config: CoreConfig = { appName: 'CallDesk', version: '0.0.0-test', host: 'web', locale: 'en-US', platform: opts.platform ?? process.platform, env: opts.env ?? {} };
  const core = await createCore(config, {
    clock: { now: () => Date.now() },
    paths: corePaths(dataDir, path.join(dataDir, 'policy.json')),
    secrets: createMemorySecretStore(),
    notifier: createFakeNotifier(),
    logSinks: [sink],
    ...opts.adapters,
  });
  return { core, logs: sink.records, dataDir };
}
