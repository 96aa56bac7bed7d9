import type { SettingsService } from '../config/settingsService';
import { startCtiServer, type CtiServer, type CtiServerOptions } from './ctiServer';

/** Runs the local CTI server while `cti.enabled` is on, on `cti.port`; follows setting changes. */
export class CtiService {
  private server: CtiServer | null = null;
  private running: { port: number } | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly off: () => void;

  constructor(private readonly options: Omit<CtiServerOptions, 'port'> & { settings: SettingsService }) {
    this.off = options.settings.onChange(() => void this.apply());
  }

  /** The running server, if any (port, token). */
  current(): CtiServer | null {
    return this.server;
  }

  /** Starts, stops or moves the server to match the settings. Never throws: a busy port is logged. */
  apply(): Promise<void> {
    this.queue = this.queue.then(async () => {
      const enabled = this.options.settings.get('cti.enabled');
      const port = this.options.settings.get('cti.port');
      if (this.server && (!enabled || this.running?.port !== port)) await this.stop();
      if (!enabled || this.server) return;
      try {
        this.server = await startCtiServer({ ...this.options, port });
        this.running = { port };
        this.options.logger.info('cti api listening', { port: this.server.port });
      } catch (err) {
        this.options.logger.warn('cti api could not start', { port, error: err as Error });
      }
    });
    return this.queue;
  }

  async close(): Promise<void> {
    this.off();
    await this.queue;
    await this.stop();
  }

  private async stop(): Promise<void> {
    await this.server?.close();
    this.server = null;
    this.running = null;
  }
}
