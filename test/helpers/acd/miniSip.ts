import crypto from 'node:crypto';
import dgram from 'node:dgram';

/**
 * A minimal SIP user agent over UDP on 127.0.0.1 for ACD tests: registers with digest auth, places
 * calls (INVITE, ACK, BYE, CANCEL, following Record-Route) and answers them (180, 200, 486, 487),
 * recording the time of everything it sees. Enough SIP for queued calls through the real Kamailio;
 * no media, no retransmissions (loopback).
 */

/** A parsed SIP message. */
export interface SipMessage {
  first: string;
  method: string | null;
  status: number | null;
  headers: Array<[string, string]>;
  body: string;
}

function parse(raw: string): SipMessage {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const lines = head!.split('\r\n');
  const first = lines[0]!;
  const headers = lines.slice(1).map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()] as [string, string];
  });
  const m = /^SIP\/2\.0 (\d{3})/.exec(first);
  return { first, method: m ? null : first.split(' ')[0]!, status: m ? Number(m[1]) : null, headers, body: rest.join('\r\n\r\n') };
}

const h = (m: SipMessage, name: string) => m.headers.find(([k]) => k === name)?.[1] ?? '';
const all = (m: SipMessage, name: string) => m.headers.filter(([k]) => k === name).map(([, v]) => v);
const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');
const rand = () => crypto.randomBytes(6).toString('hex');
const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

/** How an agent treats an incoming call. */
export type AnswerMode = { kind: 'answer'; afterMs: number } | { kind: 'ignore' } | { kind: 'reject' };

/** What a caller saw of one call. */
export interface CallerView {
  callId: string;
  sentAt: number;
  ringingAt: number | null;
  answeredAt: number | null;
  finalStatus: number | null;
  finalAt: number | null;
}

/** One SIP UA on its own UDP port. */
export class MiniSip {
  readonly user: string;
  private sock!: dgram.Socket;
  port = 0;
  /** What to do with the next incoming INVITEs. */
  mode: AnswerMode = { kind: 'answer', afterMs: 0 };
  /** Call-IDs of INVITEs received, in order, with their time and their X-CallDesk-Queue headers. */
  readonly invites: Array<{ callId: string; at: number; queue: string[] }> = [];
  /** Call-IDs answered by this UA. */
  readonly answered: string[] = [];
  private readonly waiters: Array<(m: SipMessage) => boolean> = [];
  private readonly pendingInvites = new Map<string, SipMessage>();

  private constructor(
    user: string,
    private readonly pbxPort: number,
  ) {
    this.user = user;
  }

  /** Binds a UDP port; `register` separately. */
  static async open(user: string, pbxPort: number): Promise<MiniSip> {
    const ua = new MiniSip(user, pbxPort);
    ua.sock = dgram.createSocket('udp4');
    ua.sock.on('message', (buf) => ua.onMessage(parse(buf.toString('utf8'))));
    await new Promise<void>((r) => ua.sock.bind(0, '127.0.0.1', () => r()));
    ua.port = (ua.sock.address() as { port: number }).port;
    return ua;
  }

  close(): void {
    this.sock.close();
  }

  private send(text: string): void {
    this.sock.send(Buffer.from(text.replace(/\n/g, '\r\n').replace(/\r\r\n/g, '\r\n')), this.pbxPort, '127.0.0.1');
  }

  private wait(pred: (m: SipMessage) => boolean, what: string, timeoutMs = 30_000): Promise<SipMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`${this.user}: timed out waiting for ${what}`));
      }, timeoutMs);
      const w = (m: SipMessage) => {
        if (!pred(m)) return false;
        clearTimeout(timer);
        resolve(m);
        return true;
      };
      this.waiters.push(w);
    });
  }

  private onMessage(m: SipMessage): void {
    for (const w of [...this.waiters]) {
      if (w(m)) this.waiters.splice(this.waiters.indexOf(w), 1);
    }
    if (m.method === 'INVITE') this.onInvite(m);
    else if (m.method === 'CANCEL') this.onCancel(m);
    else if (m.method === 'BYE') this.reply(m, 200, 'OK');
    else if (m.method === 'OPTIONS') this.reply(m, 200, 'OK');
  }

  private reply(req: SipMessage, status: number, reason: string, extra: { toTag?: string; body?: string; contact?: boolean } = {}): void {
    const to = h(req, 'to') + (extra.toTag && !/;tag=/.test(h(req, 'to')) ? `;tag=${extra.toTag}` : '');
    const lines = [
      `SIP/2.0 ${status} ${reason}`,
      ...all(req, 'via').map((v) => `Via: ${v}`),
      ...(req.method === 'INVITE' && status < 300 ? all(req, 'record-route').map((r) => `Record-Route: ${r}`) : []),
      `From: ${h(req, 'from')}`,
      `To: ${to}`,
      `Call-ID: ${h(req, 'call-id')}`,
      `CSeq: ${h(req, 'cseq')}`,
      ...(extra.contact ? [`Contact: <sip:${this.user}@127.0.0.1:${this.port}>`] : []),
      ...(extra.body ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${Buffer.byteLength(extra.body ?? '')}`,
      '',
      extra.body ?? '',
    ];
    this.send(lines.join('\r\n'));
  }

  private onInvite(m: SipMessage): void {
    const callId = h(m, 'call-id');
    if (this.pendingInvites.has(callId) && h(this.pendingInvites.get(callId)!, 'cseq') === h(m, 'cseq')) return; // retransmission
    this.invites.push({ callId, at: Date.now(), queue: all(m, 'x-calldesk-queue') });
    this.pendingInvites.set(callId, m);
    const tag = rand();
    const mode = this.mode;
    if (mode.kind === 'reject') {
      this.reply(m, 486, 'Busy Here', { toTag: tag });
      return;
    }
    this.reply(m, 180, 'Ringing', { toTag: tag, contact: true });
    if (mode.kind === 'answer') {
      setTimeout(() => {
        if (!this.pendingInvites.has(callId)) return;
        this.pendingInvites.delete(callId);
        this.answered.push(callId);
        this.reply(m, 200, 'OK', { toTag: tag, contact: true, body: SDP });
      }, mode.afterMs);
    }
  }

  private onCancel(m: SipMessage): void {
    this.reply(m, 200, 'OK');
    const inv = this.pendingInvites.get(h(m, 'call-id'));
    if (inv) {
      this.pendingInvites.delete(h(m, 'call-id'));
      this.reply(inv, 487, 'Request Terminated', { toTag: rand() });
    }
  }

  /** REGISTER with digest auth (test account password `pw<user>`). */
  async register(password = `pw${this.user}`, expires = 300): Promise<void> {
    const callId = rand();
    const uri = 'sip:calldesk.test';
    const build = (cseq: number, auth?: string) =>
      [
        `REGISTER ${uri} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK${rand()};rport`,
        `From: <sip:${this.user}@calldesk.test>;tag=${rand()}`,
        `To: <sip:${this.user}@calldesk.test>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} REGISTER`,
        `Contact: <sip:${this.user}@127.0.0.1:${this.port}>`,
        `Expires: ${expires}`,
        'Max-Forwards: 70',
        ...(auth ? [`Authorization: ${auth}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    const first = this.wait((m) => m.status !== null && h(m, 'call-id') === callId && m.status >= 200, 'REGISTER answer');
    this.send(build(1));
    const challenge = await first;
    if (challenge.status === 200) return;
    const www = h(challenge, 'www-authenticate');
    const realm = /realm="([^"]+)"/.exec(www)![1]!;
    const nonce = /nonce="([^"]+)"/.exec(www)![1]!;
    const qop = /qop="([^"]+)"/.exec(www)?.[1];
    const ha1 = md5(`${this.user}:${realm}:${password}`);
    const ha2 = md5(`REGISTER:${uri}`);
    const cnonce = rand();
    const response = qop ? md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    const auth = `Digest username="${this.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5${qop ? `, qop=auth, nc=00000001, cnonce="${cnonce}"` : ''}`;
    const second = this.wait((m) => m.status !== null && h(m, 'call-id') === callId && m.status >= 200 && h(m, 'cseq').startsWith('2 '), 'REGISTER with credentials answer');
    this.send(build(2, auth));
    const ok = await second;
    if (ok.status !== 200) throw new Error(`${this.user}: REGISTER failed ${ok.first}`);
  }

  /**
   * Calls `target` (a queue number) through the PBX. The call ends by itself: when answered, after
   * `holdMs` the caller hangs up (BYE); when `abandonAfterMs` is given and no answer came by then,
   * it cancels. Resolves with what the caller saw once the call is over.
   */
  async call(target: string, opts: { holdMs?: number; abandonAfterMs?: number; timeoutMs?: number } = {}): Promise<CallerView> {
    const callId = `${rand()}@acd-test`;
    const fromTag = rand();
    const branch = `z9hG4bK${rand()}`;
    const ruri = `sip:${target}@calldesk.test`;
    const view: CallerView = { callId, sentAt: Date.now(), ringingAt: null, answeredAt: null, finalStatus: null, finalAt: null };
    const via = `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=${branch};rport`;
    const from = `From: <sip:${this.user}@calldesk.test>;tag=${fromTag}`;
    const mine = (m: SipMessage) => m.status !== null && h(m, 'call-id') === callId;
    const final = this.wait((m) => mine(m) && h(m, 'cseq').endsWith('INVITE') && m.status! >= 200, `final answer to ${callId}`, opts.timeoutMs ?? 60_000);
    void this.wait((m) => mine(m) && m.status === 180, 'ringing', opts.timeoutMs ?? 60_000).then(
      () => (view.ringingAt ??= Date.now()),
      () => undefined,
    );
    this.send(
      [
        `INVITE ${ruri} SIP/2.0`, via, from, `To: <${ruri}>`, `Call-ID: ${callId}`, 'CSeq: 1 INVITE', `Contact: <sip:${this.user}@127.0.0.1:${this.port}>`,
        'Max-Forwards: 70', 'Content-Type: application/sdp', `Content-Length: ${Buffer.byteLength(SDP)}`, '', SDP,
      ].join('\r\n'),
    );
    let abandonTimer: NodeJS.Timeout | null = null;
    if (opts.abandonAfterMs !== undefined) {
      abandonTimer = setTimeout(() => {
        if (view.answeredAt !== null) return;
        this.send([`CANCEL ${ruri} SIP/2.0`, via, from, `To: <${ruri}>`, `Call-ID: ${callId}`, 'CSeq: 1 CANCEL', 'Max-Forwards: 70', 'Content-Length: 0', '', ''].join('\r\n'));
      }, opts.abandonAfterMs);
    }
    const res = await final;
    if (abandonTimer) clearTimeout(abandonTimer);
    view.finalStatus = res.status;
    view.finalAt = Date.now();
    const to = `To: ${h(res, 'to')}`;
    if (res.status! >= 300) {
      this.send([`ACK ${ruri} SIP/2.0`, via, from, to, `Call-ID: ${callId}`, 'CSeq: 1 ACK', 'Max-Forwards: 70', 'Content-Length: 0', '', ''].join('\r\n'));
      return view;
    }
    view.answeredAt = view.finalAt;
    const contact = /<([^>]+)>/.exec(h(res, 'contact'))?.[1] ?? ruri;
    const routes = all(res, 'record-route').flatMap((r) => r.split(',')).map((r) => r.trim()).reverse();
    const inDialog = (method: string, cseq: number) =>
      [
        `${method} ${contact} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK${rand()};rport`, from, to, `Call-ID: ${callId}`, `CSeq: ${cseq} ${method}`,
        ...routes.map((r) => `Route: ${r}`), 'Max-Forwards: 70', 'Content-Length: 0', '', '',
      ].join('\r\n');
    this.send(inDialog('ACK', 1));
    await new Promise((r) => setTimeout(r, opts.holdMs ?? 200));
    const byeOk = this.wait((m) => mine(m) && h(m, 'cseq').endsWith('BYE'), `BYE answer for ${callId}`);
    this.send(inDialog('BYE', 2));
    await byeOk;
    return view;
  }
}
