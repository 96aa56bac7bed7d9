/** Absolute path of resources/pbx/kamailio.cfg. */
export const PBX_CONFIG: string;
/** One line telling a newcomer how to get Kamailio. */
export const INSTALL_HINT: string;
/** rtpengine's media timeout of the dev PBX, in seconds. */
export const DEFAULT_MEDIA_TIMEOUT_SECONDS: number;
/** One line telling a newcomer how to get rtpengine. */
export const RTPENGINE_HINT: string;
/** Finds the rtpengine binary, or null when it is not installed. */
export function findRtpengine(): string | null;
/** Resolves when rtpengine answers an ng ping on 127.0.0.1:port. */
export function waitForRtpengine(port: number, timeoutMs?: number): Promise<void>;

/** Options of {@link startPbx}. */
export interface PbxOptions {
  kamailio?: string;
  sipPort?: number;
  wsPort?: number;
  /** Directory for the pid file, log file and working directory (default .tmp/pbx). */
  dir?: string;
  /** Media bridge: undefined = start rtpengine when installed, true = required, false = off. */
  rtpengine?: boolean;
  /** rtpengine's ng control port (default: a free UDP port). */
  rtpenginePort?: number;
  /**
   * rtpengine's media timeout in seconds (default {@link DEFAULT_MEDIA_TIMEOUT_SECONDS}): a call with no
   * media from any side for this long is ended by the PBX (BYE to both legs).
   */
  mediaTimeoutSeconds?: number;
  /** Serve SIP over wss:// too, with this certificate and key (PEM paths; see scripts/testCa.mjs). */
  tls?: { cert: string; key: string };
  /** The wss:// port (default: a free TCP port) when `tls` is given. */
  wssPort?: number;
  /** Leave it running after this process exits (npm run pbx). */
  detached?: boolean;
  timeoutMs?: number;
}

/** A running Kamailio. */
export interface RunningPbx {
  pid: number;
  sipPort: number;
  wsPort: number;
  /** The media bridge started beside Kamailio, or null when none runs. */
  rtpengine: { pid: number; port: number; logFile: string } | null;
  /** wss://127.0.0.1:<port> when started with `tls`, else null. */
  wssUrl: string | null;
  /** ws://127.0.0.1:<wsPort> */
  wsUrl: string;
  dir: string;
  pidFile: string;
  logFile: string;
  /** Stops Kamailio and waits until it has exited. */
  stop(): Promise<void>;
}

/** Finds the kamailio binary, or null when it is not installed. */
export function findKamailio(): string | null;
/** Picks free loopback ports for SIP (UDP+TCP) and WebSocket. */
export function pickPorts(): Promise<{ sipPort: number; wsPort: number }>;
/** Resolves when a SIP WebSocket handshake succeeds. */
export function waitForWebSocket(url: string, timeoutMs?: number): Promise<void>;
/** Starts Kamailio in the foreground with absolute paths and waits until its WebSocket answers. */
export function startPbx(options?: PbxOptions): Promise<RunningPbx>;
/** Live (non-zombie) pids of a process group, from /proc; null where there is no /proc. */
export function groupMembers(pgid: number): number[] | null;
/** Stops the instance recorded in a pid file. */
export function stopPbx(options?: { dir?: string }): Promise<boolean>;
