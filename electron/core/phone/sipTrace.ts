/** One SIP message on the wire, as sent or received by the phone. */
export interface SipTraceEntry {
  at: number;
  direction: 'sent' | 'received';
  message: string;
}

/** Limits of the trace kept in memory. */
export interface SipTraceLimits {
  /** Messages older than this are dropped (ms; default 10 minutes). */
  maxAgeMs: number;
  /** At most this many characters in all (default 2 MB). */
  maxChars: number;
}

const SENT = 'Sending WebSocket message:';
const RECEIVED = /^Received WebSocket (?:text|binary) message:/;

/**
 * The last minutes of SIP signalling, in memory only, for the diagnostics bundle. Fed from sip.js's
 * transport log lines (`traceSip`), so it holds exactly what went over the WebSocket. Never written
 * to the log file; the bundle removes digest responses and known secrets before it leaves the machine.
 */
export class SipTrace {
  private entries: SipTraceEntry[] = [];
  private chars = 0;
  private readonly limits: SipTraceLimits;

  constructor(
    private readonly now: () => number,
    limits: Partial<SipTraceLimits> = {},
  ) {
    this.limits = { maxAgeMs: 10 * 60_000, maxChars: 2_000_000, ...limits };
  }

  /**
   * Takes a sip.js log line: keeps it when it is a traced message and says so (the caller then
   * does not log it elsewhere).
   */
  takeLogLine(content: string): boolean {
    let direction: SipTraceEntry['direction'];
    let rest: string;
    if (content.startsWith(SENT)) {
      direction = 'sent';
      rest = content.slice(SENT.length);
    } else if (RECEIVED.test(content)) {
      direction = 'received';
      rest = content.replace(RECEIVED, '');
    } else return false;
    this.add({ at: this.now(), direction, message: rest.trim() });
    return true;
  }

  /** Adds one message and drops what is too old or too much. */
  add(entry: SipTraceEntry): void {
    this.entries.push(entry);
    this.chars += entry.message.length;
    const oldest = this.now() - this.limits.maxAgeMs;
    let drop = 0;
    while (drop < this.entries.length - 1 && (this.entries[drop]!.at < oldest || this.chars > this.limits.maxChars)) {
      this.chars -= this.entries[drop]!.message.length;
      drop += 1;
    }
    if (drop > 0) this.entries = this.entries.slice(drop);
  }

  /** The messages kept, oldest first (only those within the age limit). */
  recent(): SipTraceEntry[] {
    const oldest = this.now() - this.limits.maxAgeMs;
    return this.entries.filter((e) => e.at >= oldest);
  }

  /** The trace as text: a header line per message (time, direction), then the message. */
  text(): string {
    return this.recent()
      .map((e) => `--- ${new Date(e.at).toISOString()} ${e.direction === 'sent' ? 'SENT >>>' : 'RECEIVED <<<'}\n${e.message}\n`)
      .join('\n');
  }
}
