/** Types and constants shared by the layers of the phone (see phoneService.ts). */
import { Inviter, type Invitation, type Session } from 'sip.js';
import type { QueueOffer } from '../../../shared/acd/offerHeader';
import type { CallDirection, CallEnd, CallerIdentity, CallSnapshot, RegistrationFailure, RemoteIdentity, TransferStatus } from '../../../shared/phone/call';
import type { CallState } from '../../../shared/phone/callState';
import type { MediaHost } from '../../../shared/phone/mediaHost';
import type { Clock } from '../adapters';
import type { CoreBus } from '../bus/coreBus';
import type { Logger } from '../log/logger';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../adapters/backoff';
import type { Scheduler, TimerHandle } from '../adapters/scheduler';
import { MediaWatchdog } from './mediaWatchdog';
import type { NetworkMonitor } from '../adapters/network';
import { DEFAULT_SESSION_TIMER, SessionTimer, type SessionTimerConfig } from './sessionTimer';
import type { SipTrace } from './sipTrace';
/** The SIP account the phone registers. */
export interface PhoneAccount {
  /** Address of record, e.g. `sip:1001@pbx.example`. */
  uri: string;
  /** Digest user; the AOR's user part when empty. */
  authUser: string;
  password: string;
  /** `ws://` or `wss://` URL of the PBX's SIP WebSocket. */
  server: string;
  displayName: string;
  /** Requested registration lifetime (s); refreshed before it runs out. */
  registerExpires: number;
}

/** Behaviour read on every use, so settings changes apply without a restart. */
export interface PhoneBehaviour {
  dtmfMethod: 'rfc4733' | 'info';
  autoAnswer: { enabled: boolean; delaySeconds: number; honourCallInfo: boolean };
  doNotDisturb: boolean;
  rejectCode: 486 | 603;
  ringTimeoutSeconds: number;
  mappedHeaders: string[];
  /** No media from the other side for this long (hold excluded) ends the call as `media-timeout`. */
  mediaTimeoutSeconds?: number;
}

/** Timers of the transport watchdog and reconnect logic. */
export interface PhoneTiming {
  /** Interval of keep-alive probes (OPTIONS) while connected (ms). */
  keepAliveIntervalMs: number;
  /** A probe without any answer in this time means the transport is dead (ms). */
  keepAliveTimeoutMs: number;
  /** A REGISTER without an answer in this time fails with `timeout` (ms). */
  registerTimeoutMs: number;
  /** WebSocket connect timeout (s, sip.js granularity). */
  connectTimeoutSeconds: number;
  backoff: BackoffPolicy;
  /** Percentage of the granted expiry after which the registration is refreshed. */
  refreshPercent: number;
  /** SIP session timers (RFC 4028). */
  sessionTimer: SessionTimerConfig;
}

/** Default timing: probe every 10 s, declare death after 5 s of silence, reconnect within 3 s. */
export const DEFAULT_TIMING: PhoneTiming = {
  keepAliveIntervalMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  registerTimeoutMs: 8_000,
  connectTimeoutSeconds: 4,
  backoff: DEFAULT_BACKOFF,
  refreshPercent: 80,
  sessionTimer: DEFAULT_SESSION_TIMER,
};

/** Everything a PhoneService needs. */
export interface PhoneServiceOptions {
  account: PhoneAccount;
  behaviour: () => PhoneBehaviour;
  media: MediaHost;
  clock: Clock;
  logger: Logger;
  network?: NetworkMonitor;
  timing?: Partial<PhoneTiming>;
  random?: () => number;
  /** sip.js internal log level routed to the logger (default `warn`). */
  sipLogLevel?: 'debug' | 'log' | 'warn' | 'error';
  /** Where the SIP messages on the wire are kept for the diagnostics bundle (none: not traced). */
  sipTrace?: SipTrace;
  /** A CA (PEM) trusted for wss:// besides the built-in root store (policy `sip.tlsCaFile`). */
  tlsExtraCaPem?: string;
  /** Whether a media host is connected (reported in the snapshot). */
  mediaReady?: () => boolean;
  /**
   * Stable `+sip.instance` UUID of this installation (RFC 5626, one per data directory): REGISTER
   * carries it with `reg-id=1`, so after a crash the new registration replaces the old binding.
   */
  instanceId?: string;
  /** The core bus the call lifecycle events (./callEvents.ts) go to. */
  bus?: CoreBus;
  /** Timers (ring timeout, keep-alive, reconnect, session timer...); the real timers when absent. */
  scheduler?: Scheduler;
  /**
   * Offered every INVITE before it becomes a call; returns true when it took the INVITE (a
   * supervisor's monitoring leg, electron/core/monitor/), which then never reaches the call table.
   */
  takeInvite?: (invitation: Invitation) => boolean;
}

export interface CallRecord {
  id: string;
  session: Session;
  direction: CallDirection;
  remote: RemoteIdentity;
  /** The caller identity parsed once from the INVITE (To for outbound calls): goes out on every snapshot. */
  caller: CallerIdentity;
  state: CallState;
  muted: boolean;
  remoteHold: boolean;
  waiting: boolean;
  times: CallSnapshot['times'];
  end?: CallEnd;
  headers: Record<string, string>;
  /** The queue that offered this inbound call (X-CallDesk-Queue). */
  queue?: QueueOffer;
  autoAnswerAt?: number;
  transfer?: TransferStatus;
  linkedCallId?: string;
  dtmfReceived: string;
  sipCallId: string;
  cancelledBy?: 'local' | 'local-timeout' | 'remote';
  finalCode?: number;
  finalPhrase?: string;
  endAs?: CallEnd;
  hangupBy?: 'local' | 'remote';
  timers: Set<TimerHandle>;
  /** False for an answered inbound call until its ACK arrived (no re-INVITE before that, RFC 3261 14.1). */
  acked: boolean;
  ackWaiters: (() => void)[];
  /** Watches the media of an established call (dead peer detection). */
  watchdog?: MediaWatchdog;
  /** The session timer (RFC 4028) of an established call, when negotiated. */
  sessionTimer?: SessionTimer;
  /** Session-timer headers for our 2xx to an inbound INVITE. */
  timerHeaders?: string[];
  /** The call really ended earlier than it was torn down (last media seen before a media timeout). */
  endedAt?: number;
  /** The negotiated session timer, started once the call is established. */
  timerPlan?: { seconds: number; weRefresh: boolean };
  /** Our INVITE got 422 (interval too small): resend it raised (RFC 4028 7.4) instead of ending. */
  intervalRetry?: { offeredSeconds: number; retries: number; next?: Inviter; make(seconds: number, attempt: number): Inviter };
  /** The option tags the other side listed in Supported (its INVITE, or its 2xx to ours). */
  peerSupported?: string[];
  /** Once-per-call lifecycle events already announced on the bus. */
  announced: Set<string>;
}

export const MAX_ENDED_KEPT = 10;
/** INVITEs larger than this are refused with 513 (a PBX INVITE with SDP is 1-4 KB). */
export const MAX_INVITE_BYTES = 16 * 1024;

export function failureFromCode(code: number): RegistrationFailure {
  if (code === 401 || code === 407) return 'wrong-password';
  if (code === 403) return 'forbidden';
  if (code === 408 || code === 504) return 'timeout';
  if (code === 503) return 'network';
  return 'rejected';
}


/** The lifetime the registrar granted: our Contact's `expires` param, else the Expires header, else what we asked. */
export function grantedExpires(message: { getHeaders(name: string): string[]; getHeader(name: string): string | undefined }, asked: number): number {
  for (const contact of message.getHeaders('contact')) {
    const m = /;\s*expires\s*=\s*(\d+)/i.exec(contact);
    if (m) return Number(m[1]);
  }
  const h = Number(message.getHeader('expires'));
  return Number.isFinite(h) && h > 0 ? h : asked;
}

/** host:port of a ws(s):// URL, for messages. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Extras of one re-INVITE: session-timer headers, an ICE restart, the final response. */
export interface ReinviteExtra {
  headers?: string[];
  /** No offer: the other side offers in its 2xx (target refresh); a refusal leaves the media as it was. */
  withoutSdp?: boolean;
  iceRestart?: boolean;
  onResponse?(message: { getHeader(name: string): string | undefined }): void;
}
