// A simulated customer (or third party): sip.js in a Chromium page with the fake microphone.
// Loaded by test/helpers/sipPeer/server.ts; driven through `window.peer` by driver.ts and demo:call.
import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  type Session,
} from 'sip.js';
import { SIPExtension } from 'sip.js/lib/api/user-agent-options';
import type { SessionDescriptionHandler } from 'sip.js/lib/platform/web';

/** How a peer registers. */
export interface PeerConfig {
  wsUrl: string;
  user: string;
  password: string;
  domain: string;
  displayName?: string;
  /** Answer incoming calls after this many ms (undefined: ring until told). */
  autoAnswerMs?: number;
  /** Reject incoming calls with this code instead. */
  autoRejectCode?: number;
}

/** Something that happened on the peer, for assertions. */
export interface PeerEvent {
  at: number;
  kind: 'registered' | 'incoming' | 'state' | 'dtmf-info' | 'refer' | 'ended' | 'error';
  detail: string;
}

const events: PeerEvent[] = [];
let ua: UserAgent | undefined;
let config: PeerConfig | undefined;
let session: Session | undefined;
const log = (kind: PeerEvent['kind'], detail = '') => events.push({ at: Date.now(), kind, detail });

const sdhOptions = { iceGatheringTimeout: 500, peerConnectionConfiguration: { iceServers: [] } };

function audioElement(): HTMLAudioElement {
  let el = document.getElementById('remote') as HTMLAudioElement | null;
  if (!el) {
    el = document.createElement('audio');
    el.id = 'remote';
    el.autoplay = true;
    document.body.appendChild(el);
  }
  return el;
}

function attach(s: Session): void {
  session = s;
  s.stateChange.addListener((state) => {
    log('state', state);
    if (state === SessionState.Established) {
      const sdh = s.sessionDescriptionHandler as SessionDescriptionHandler | undefined;
      if (sdh?.remoteMediaStream) audioElement().srcObject = sdh.remoteMediaStream;
    }
    if (state === SessionState.Terminated) log('ended');
  });
  s.delegate = {
    onInfo: (info) => {
      const body = info.request.body ?? '';
      const m = /Signal\s*=\s*(\S)/i.exec(body);
      log('dtmf-info', m?.[1] ?? body);
      void info.accept();
    },
    onRefer: (referral) => {
      log('refer', referral.referTo.toString());
      void referral.accept().then(() => {
        const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
        attach(inviter);
        void inviter.invite();
        void s.bye().catch(() => undefined);
      });
    },
  };
}

async function start(c: PeerConfig): Promise<void> {
  config = c;
  ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${c.user}@${c.domain}`),
    authorizationUsername: c.user,
    authorizationPassword: c.password,
    displayName: c.displayName ?? c.user,
    transportOptions: { server: c.wsUrl },
    sessionDescriptionHandlerFactoryOptions: sdhOptions,
    sipExtensionReplaces: SIPExtension.Supported,
    logLevel: 'warn',
    delegate: {
      onInvite: (invitation: Invitation) => {
        const from = invitation.remoteIdentity.uri.user ?? '';
        log('incoming', from);
        attach(invitation);
        if (c.autoRejectCode) void invitation.reject({ statusCode: c.autoRejectCode });
        else if (c.autoAnswerMs !== undefined) setTimeout(() => void answer(), c.autoAnswerMs);
      },
    },
  });
  await ua.start();
  await registerNow(ua, c);
}

/** Registers (again) and resolves once registered. */
async function registerNow(agent: UserAgent, c: PeerConfig): Promise<void> {
  const registerer = new Registerer(agent, { expires: 300 });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('peer registration timed out')), 10_000);
    registerer.stateChange.addListener((s) => {
      if (s === RegistererState.Registered) {
        clearTimeout(timer);
        log('registered', c.user);
        resolve();
      }
    });
    void registerer.register({ requestDelegate: { onReject: (r) => reject(new Error(`registration rejected ${r.message.statusCode}`)) } });
  });
}

/** Reconnects the WebSocket and registers again, as a softphone does after its server restarted. */
async function reconnect(): Promise<void> {
  if (!ua || !config) throw new Error('peer not started');
  await ua.reconnect();
  await registerNow(ua, config);
}

async function call(target: string, extraHeaders: string[] = []): Promise<void> {
  if (!ua || !config) throw new Error('peer not started');
  const uri = UserAgent.makeURI(target.startsWith('sip:') ? target : `sip:${target}@${config.domain}`);
  if (!uri) throw new Error(`bad target ${target}`);
  const inviter = new Inviter(ua, uri, { extraHeaders, sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
  attach(inviter);
  await inviter.invite();
}

async function answer(): Promise<void> {
  if (!(session instanceof Invitation)) throw new Error('no incoming call');
  await session.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
}

async function hangup(): Promise<void> {
  const s = session;
  if (!s) return;
  if (s.state === SessionState.Established) await s.bye();
  else if (s instanceof Inviter) await s.cancel();
  else if (s instanceof Invitation && s.state === SessionState.Initial) await s.reject();
}

async function reject(statusCode = 486): Promise<void> {
  if (!(session instanceof Invitation)) throw new Error('no incoming call');
  await session.reject({ statusCode });
}

async function sendDtmfInfo(digit: string): Promise<void> {
  if (!session) throw new Error('no call');
  await session.info({ requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${digit}\r\nDuration=160` } } });
}

/** Bytes of inbound audio RTP received so far on the current call (0 without one). */
async function inboundBytes(): Promise<number> {
  const pc = (session?.sessionDescriptionHandler as SessionDescriptionHandler | undefined)?.peerConnection;
  if (!pc) return 0;
  let bytes = 0;
  (await pc.getStats()).forEach((r: { type: string; kind?: string; bytesReceived?: number }) => {
    if (r.type === 'inbound-rtp' && r.kind === 'audio') bytes += r.bytesReceived ?? 0;
  });
  return bytes;
}

function state(): string {
  return session?.state ?? 'none';
}

async function stop(): Promise<void> {
  await ua?.stop();
}

declare global {
  interface Window {
    peer: typeof api;
  }
}
const api = { start, reconnect, call, answer, hangup, reject, sendDtmfInfo, inboundBytes, state, stop, events: () => events };
window.peer = api;
document.title = 'sip-peer ready';
