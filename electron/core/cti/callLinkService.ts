import { callLinkTarget } from '../../../shared/phone/callLink';
import type { CoreEvents } from '../events';
import type { Logger } from '../log/logger';

const MAX_PENDING = 20;

/**
 * Call links from the OS (Electron protocol handler, second-instance argv) wait here until the
 * renderer takes them, so a link that launched the app is not lost while the window loads.
 */
export class CallLinkService {
  private pending: string[] = [];

  constructor(private readonly events: CoreEvents, private readonly logger: Logger) {}

  /** Queues a clicked link; anything that is not a call link is ignored with a log line. */
  push(url: string): boolean {
    if (!callLinkTarget(url)) {
      this.logger.warn('call link ignored', { scheme: url.split(':')[0]?.slice(0, 12) ?? '' });
      return false;
    }
    this.pending.push(url.trim());
    if (this.pending.length > MAX_PENDING) this.pending.shift();
    this.events.emit('call:links-pending', { count: this.pending.length });
    return true;
  }

  /** Hands the queued links (each one dialable) to the renderer and forgets them. */
  take(): string[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
