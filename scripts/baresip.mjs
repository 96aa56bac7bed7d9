// A plain-RTP desk phone for tests and demos: baresip (Debian baresip-core) driven over its
// ctrl_tcp socket (netstring JSON). It registers to the dev PBX over UDP on 127.0.0.1, speaks
// plain RTP/AVP with the codecs asked for, plays an 8 kHz WAV tone as its microphone and records
// what it hears; RTP packet counters come from baresip's own audio statistics.
//
// Measured here: baresip cannot bind to the interface name "lo" but works with the address
// 127.0.0.1; its ausine source only runs at 48 kHz, so the microphone is an 8 kHz WAV (aufile);
// it also listens for SIP/TLS on the SIP port + 1, so the control port must differ from both.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';

/** Finds the baresip binary, or null. */
export function findBaresip() {
  for (const p of ['/usr/bin/baresip', '/usr/local/bin/baresip']) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v baresip'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** One line telling a newcomer how to get baresip. */
export const BARESIP_HINT = 'baresip is not installed: sudo apt-get install -y --no-install-recommends baresip-core';

const MODULE_DIR = '/usr/lib/baresip/modules';
/** baresip's names of the codecs a test may ask for (name/clock rate/channels, as baresip lists them). */
export const BARESIP_CODECS = { pcmu: 'PCMU/8000/1', pcma: 'PCMA/8000/1', g722: 'G722/16000/1', opus: 'opus/48000/2' };
/** The sample rate and channels baresip's aufile source must have for a codec (it does not resample). */
const SOURCE_FORMAT = { g722: [16000, 1], opus: [48000, 2] };

/** A 16-bit WAV of `seconds` of a 440 Hz tone (8 kHz mono by default). */
export function toneWav(seconds = 120, rate = 8000, hz = 440, channels = 1) {
  const n = seconds * rate;
  const data = Buffer.alloc(n * 2 * channels);
  for (let i = 0; i < n; i++) {
    const v = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate));
    for (let c = 0; c < channels; c++) data.writeInt16LE(v, (i * channels + c) * 2);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2 * channels, 28);
  h.writeUInt16LE(2 * channels, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** G.711 u-law encoding of one 16-bit sample. */
function ulaw(sample) {
  const BIAS = 0x84;
  const sign = sample < 0 ? 0x80 : 0;
  let s = Math.min(32635, Math.abs(sample)) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Raw G.711 u-law (8 kHz) of `seconds` of a 440 Hz tone: the "recording" a sipp trunk plays. */
export function toneUlaw(seconds = 10, rate = 8000, hz = 440) {
  const out = Buffer.alloc(seconds * rate);
  for (let i = 0; i < out.length; i++) out[i] = ulaw(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)));
  return out;
}

function portFree(port) {
  return new Promise((resolve) => {
    const t = net.createServer();
    t.once('error', () => resolve(false));
    t.listen(port, '127.0.0.1', () =>
      t.close(() => {
        const u = dgram.createSocket('udp4');
        u.once('error', () => resolve(false));
        u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
      }),
    );
  });
}

/**
 * Three consecutive free ports (SIP UDP/TCP, SIP TLS, control), below the kernel's ephemeral range
 * (32768+ here) so an outgoing connection of another test cannot take them between the check and
 * baresip's bind; rtpengine's media ports (40000+) are above it.
 */
async function pickPortTriple() {
  for (let i = 0; i < 200; i++) {
    const p = 20000 + Math.floor(Math.random() * 12000);
    if ((await portFree(p)) && (await portFree(p + 1)) && (await portFree(p + 2))) return p;
  }
  throw new Error('no free ports for baresip');
}

/**
 * Starts baresip registered as `user` on the PBX at 127.0.0.1:sipPort (UDP).
 * options: { sipPort, user, password, codecs?: ('pcmu'|'pcma'|'g722'|'opus')[], autoAnswer?: boolean, dir?, timeoutMs? }
 */
export async function startBaresip(options) {
  // A port checked free can still be taken before baresip binds it (another test, another run):
  // baresip then exits with "Address already in use", and a fresh set of ports is tried.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startBaresipOnce(options);
    } catch (err) {
      if (attempt >= 5 || !/Address already in use/.test(err.message)) throw err;
    }
  }
}

async function startBaresipOnce(options) {
  const binary = findBaresip();
  if (!binary) throw new Error(BARESIP_HINT);
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'calldesk-baresip-'));
  mkdirSync(dir, { recursive: true });
  const port = await pickPortTriple();
  const ctrlPort = port + 2;
  // A phone with one codec gets a source in that codec's format; several codecs: 8 kHz (G.711).
  const only = options.codecs?.length === 1 ? options.codecs[0] : null;
  const [rate, channels] = (only && SOURCE_FORMAT[only]) || [8000, 1];
  const wav = path.join(dir, `tone-${rate}.wav`);
  writeFileSync(wav, toneWav(120, rate, 440, channels));
  // gsm is loaded so a test can build a phone that shares no codec with a browser (GSM only).
  const modules = ['g711', 'g722', 'opus', 'gsm', 'aufile', 'ctrl_tcp'];
  writeFileSync(
    path.join(dir, 'config'),
    [
      `sip_listen 127.0.0.1:${port}`,
      'net_interface 127.0.0.1',
      `audio_source aufile,${wav}`,
      `audio_player aufile,${path.join(dir, 'heard.wav')}`,
      'audio_alert aufile,/dev/null',
      `module_path ${MODULE_DIR}`,
      ...modules.map((m) => `module ${m}.so`),
      'module_app account.so',
      'module_app menu.so',
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      'rtp_stats yes',
      '',
    ].join('\n'),
  );
  const codecs = (options.codecs ?? ['pcmu', 'pcma', 'g722', 'opus']).map((c) => BARESIP_CODECS[c] ?? c);
  // Every request goes through the PBX (outbound proxy): a transfer target such as
  // sip:1008@calldesk.test is not resolvable by DNS here.
  const params = [`outbound="sip:127.0.0.1:${options.sipPort}"`, `auth_pass=${options.password}`, `answermode=${options.autoAnswer ? 'auto' : 'manual'}`, `audio_codecs=${codecs.join(',')}`, 'regint=300'];
  writeFileSync(path.join(dir, 'accounts'), `<sip:${options.user}@127.0.0.1:${options.sipPort}>;${params.join(';')}\n`);
  const child = spawn(binary, ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  // baresip prints a status line many times a second during calls: keep the last 256 KB.
  const append = (d) => {
    log += d;
    if (log.length > 512 * 1024) log = log.slice(-256 * 1024);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const phone = new BaresipPhone(child, ctrlPort, dir, () => log, exited);
  try {
    await phone.connect(options.timeoutMs ?? 10000);
    await phone.waitFor(() => /200 OK .*binding/.test(log) || phone.events.some((e) => e.type === 'REGISTER_OK'), 'baresip registered', options.timeoutMs ?? 10000);
  } catch (err) {
    await phone.stop();
    throw new Error(`${err.message}\n${log.slice(-2000)}`);
  }
  return phone;
}

/** A running baresip. */
export class BaresipPhone {
  constructor(child, ctrlPort, dir, log, exited) {
    this.child = child;
    this.ctrlPort = ctrlPort;
    this.dir = dir;
    this.log = log;
    this.exited = exited;
    /** Every event baresip reported ({ type, param, ... }), oldest first. */
    this.events = [];
    this.pending = new Map();
    this.seq = 0;
    this.buffer = Buffer.alloc(0);
    this.socket = null;
  }

  async connect(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        this.socket = await new Promise((resolve, reject) => {
          const s = net.connect(this.ctrlPort, '127.0.0.1');
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
        break;
      } catch (err) {
        if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`baresip control port did not open: ${err.message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    this.socket.on('data', (d) => this.onData(d));
    this.socket.on('error', () => undefined);
  }

  onData(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) return;
      const len = Number(this.buffer.subarray(0, colon).toString());
      if (this.buffer.length < colon + 1 + len + 1) return;
      const json = this.buffer.subarray(colon + 1, colon + 1 + len).toString();
      this.buffer = this.buffer.subarray(colon + 1 + len + 1);
      let msg;
      try {
        msg = JSON.parse(json);
      } catch {
        continue;
      }
      if (msg.event) this.events.push(msg);
      else if (msg.response && this.pending.has(msg.token)) {
        this.pending.get(msg.token)(msg);
        this.pending.delete(msg.token);
      }
    }
  }

  /** Runs a baresip command (e.g. 'dial', 'accept', 'hold') and resolves with its text output. */
  command(command, params = '') {
    const token = `t${++this.seq}`;
    const json = JSON.stringify({ command, params, token });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new Error(`baresip ${command} got no answer`));
      }, 10000);
      this.pending.set(token, (msg) => {
        clearTimeout(timer);
        if (msg.ok === false) reject(new Error(`baresip ${command} failed: ${msg.data}`));
        else resolve(String(msg.data ?? ''));
      });
      this.socket.write(`${Buffer.byteLength(json)}:${json},`);
    });
  }

  /** Polls pred every 50 ms until true; throws naming `what` after timeoutMs. */
  async waitFor(pred, what, timeoutMs = 15000) {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      if (this.child.exitCode !== null) throw new Error(`baresip exited while waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Whether an event of this type was reported (optionally after index `from`). */
  has(type, from = 0) {
    return this.events.slice(from).some((e) => e.type === type);
  }

  dial(uri) {
    return this.command('dial', uri);
  }
  accept() {
    return this.command('accept');
  }
  hangup() {
    return this.command('hangup');
  }
  hold() {
    return this.command('hold');
  }
  resume() {
    return this.command('resume');
  }
  /** Sends DTMF digits (RFC 4733 telephone-event). */
  sendDtmf(digits) {
    return this.command('sndcode', digits);
  }

  /** Digits received from the other side (RFC 4733 or SIP INFO), in order. */
  dtmfReceived() {
    return this.events
      .filter((e) => e.type === 'CALL_DTMF_START')
      .map((e) => e.param)
      .join('');
  }

  /**
   * RTP counters of the current call's audio stream from baresip's audio debug output:
   * { rxPackets, txPackets, encoder, decoder }.
   */
  async audioStats() {
    const text = await this.command('audio_debug');
    const num = (re) => {
      const m = re.exec(text);
      return m ? Number(m[1]) : 0;
    };
    // Received packets are per remote RTP source ("member ... rcvd=N"): sum them.
    const rxPackets = [...text.matchAll(/rcvd=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    return {
      txPackets: num(/TX: packets=(\d+)/),
      rxPackets,
      encoder: /Set audio encoder: (\S+)/.exec(this.log())?.[1] ?? '',
      text,
    };
  }

  /** Stops baresip (quit, then SIGKILL) and waits until it has exited. */
  async stop() {
    try {
      if (this.socket) await Promise.race([this.command('quit'), new Promise((r) => setTimeout(r, 1000))]).catch(() => undefined);
    } finally {
      this.socket?.destroy();
      const killer = setTimeout(() => this.child.exitCode === null && this.child.kill('SIGKILL'), 2000);
      if (this.child.exitCode === null) this.child.kill('SIGTERM');
      await this.exited;
      clearTimeout(killer);
    }
  }
}
