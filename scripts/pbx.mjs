#!/usr/bin/env node
// Development/test PBX: starts and stops Kamailio with resources/pbx/kamailio.cfg on loopback.
//
//   npm run pbx                 start in the background (pid file), wait until the WebSocket port answers
//   npm run pbx -- run          run in the foreground (Ctrl-C stops it)
//   npm run pbx -- stop         stop the background instance (pid file)
//   npm run pbx -- status       print whether it runs
//   options: --sip-port 5060 --ws-port 8080 --dir .tmp/pbx --rtpengine | --no-rtpengine --tls [--wss-port 8443]
//            --media-timeout 60 (seconds without media from any side before rtpengine ends the call)
//   --tls also serves wss:// with a certificate from a test CA generated in <dir>/tls (point the
//   app's sip.tlsCaFile at <dir>/tls/pbx-ca.pem).
//
// Media bridge: whenever rtpengine is installed (Debian rtpengine-daemon) it is started beside
// Kamailio (user space, loopback, a free ng port) and the PBX bridges WebRTC and plain-RTP peers.
// --rtpengine insists on it (fails when missing), --no-rtpengine leaves it out.
//
// Tests import startPbx()/pickPorts() from this module (types in pbx.d.mts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, closeSync } from 'node:fs';
import net from 'node:net';
import dgram from 'node:dgram';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Absolute path of the Kamailio configuration. */
export const PBX_CONFIG = path.resolve(here, '..', 'resources', 'pbx', 'kamailio.cfg');
const DEFAULT_DIR = path.resolve(here, '..', '.tmp', 'pbx');

/** Finds the kamailio binary, or null when it is not installed. */
export function findKamailio() {
  for (const p of ['/usr/sbin/kamailio', '/usr/local/sbin/kamailio', '/usr/bin/kamailio']) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v kamailio'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** Finds the rtpengine binary (Debian rtpengine-daemon), or null when it is not installed. */
export function findRtpengine() {
  for (const p of ['/usr/bin/rtpengine', '/usr/sbin/rtpengine', '/usr/local/bin/rtpengine']) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v rtpengine'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** One line telling a newcomer how to get rtpengine. */
export const RTPENGINE_HINT = 'rtpengine is not installed: sudo apt-get install -y --no-install-recommends rtpengine-daemon';

/** Kamailio's module directory (the config's mpath). */
const KAMAILIO_MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';
/** One line telling a newcomer how to get Kamailio's XML-RPC module (needed beside rtpengine). */
export const XMLRPC_HINT =
  "Kamailio's xmlrpc module is missing (rtpengine's media timeout ends dialogs through it): sudo apt-get install -y --no-install-recommends kamailio-xml-modules";

/** One line telling a newcomer how to get Kamailio. */
export const INSTALL_HINT =
  'Kamailio is not installed: sudo apt-get install -y --no-install-recommends kamailio kamailio-websocket-modules';

function tcpFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
function udpFree(port) {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Picks a SIP port (free on UDP and TCP) and a WebSocket port (free on TCP) on 127.0.0.1. */
export async function pickPorts() {
  for (let i = 0; i < 200; i++) {
    const sipPort = 20000 + Math.floor(Math.random() * 20000);
    const wsPort = sipPort + 1;
    if ((await tcpFree(sipPort)) && (await udpFree(sipPort)) && (await tcpFree(wsPort))) return { sipPort, wsPort };
  }
  throw new Error('no free ports for the PBX');
}

/** Resolves when a SIP WebSocket handshake to url succeeds; rejects after timeoutMs. */
export async function waitForWebSocket(url, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let lastError = null;
  while (Date.now() < deadline) {
    try {
      await new Promise((resolve, reject) => {
        const ws = new WebSocket(url, 'sip', { handshakeTimeout: 1000 });
        ws.once('open', () => {
          ws.close();
          resolve(undefined);
        });
        ws.once('error', reject);
      });
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`PBX WebSocket ${url} did not answer within ${timeoutMs} ms: ${lastError?.message ?? ''}`);
}

/** A free UDP port on 127.0.0.1 (for rtpengine's ng control socket). */
async function pickUdpPort() {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if (await udpFree(port)) return port;
  }
  throw new Error('no free UDP port for rtpengine');
}

/** A free TCP port on 127.0.0.1 (rtpengine's CLI port: its default 2224 would clash between instances). */
async function pickTcpPort() {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if (await tcpFree(port)) return port;
  }
  throw new Error('no free TCP port for rtpengine');
}

/** Resolves when rtpengine answers an ng "ping" on 127.0.0.1:port; rejects after timeoutMs. */
export async function waitForRtpengine(port, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const s = dgram.createSocket('udp4');
      const timer = setTimeout(() => {
        s.close();
        resolve(false);
      }, 300);
      s.once('message', (m) => {
        clearTimeout(timer);
        s.close();
        resolve(m.toString().includes('pong'));
      });
      s.once('error', () => {
        clearTimeout(timer);
        s.close();
        resolve(false);
      });
      s.send('ping1 d7:command4:pinge', port, '127.0.0.1');
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`rtpengine did not answer on udp:127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** rtpengine's media timeout of the dev PBX, in seconds (see resources/pbx/README.md). */
export const DEFAULT_MEDIA_TIMEOUT_SECONDS = 60;

/**
 * Starts rtpengine in user space (no kernel forwarding) on loopback with its ng control socket on
 * a free port, and resolves once it answers a ping. Media ports: 40000-59999.
 * Media timeout: a call from which no media arrives on any side for `mediaTimeoutSeconds` (held
 * streams: one hour) is closed by rtpengine, which then asks Kamailio over XML-RPC
 * (`teardownUrl`, format 2: dlg.terminate_dlg) to end the dialog: both legs get BYE.
 */
export async function startRtpengine(options = {}) {
  const binary = options.rtpengine ?? findRtpengine();
  if (!binary) throw new Error(RTPENGINE_HINT);
  const dir = path.resolve(options.dir ?? DEFAULT_DIR);
  mkdirSync(dir, { recursive: true });
  const port = options.port ?? (await pickUdpPort());
  const cliPort = await pickTcpPort();
  const logFile = path.join(dir, 'rtpengine.log');
  const args = [
    '--config-file=none', '--foreground', '--table=-1', '--interface=127.0.0.1', `--listen-ng=127.0.0.1:${port}`, `--listen-cli=127.0.0.1:${cliPort}`,
    '--port-min=40000', '--port-max=59999', '--log-stderr', '--log-level=6', '--delete-delay=0',
    `--pidfile=${path.join(dir, 'rtpengine.pid')}`,
    `--timeout=${options.mediaTimeoutSeconds ?? DEFAULT_MEDIA_TIMEOUT_SECONDS}`, '--silent-timeout=3600',
  ];
  if (options.teardownUrl) args.push(`--b2b-url=${options.teardownUrl}`, '--xmlrpc-format=2');
  const daemon = await spawnDaemon({
    binary,
    args,
    logFile,
    detached: options.detached,
    name: 'rtpengine',
    ready: () => waitForRtpengine(port, options.timeoutMs ?? 10000),
  });
  return { pid: daemon.pid, port, logFile, stop: daemon.stop };
}

/**
 * Spawns a daemon as the leader of its own process group (so a stop, or our own exit, reaches every
 * process it forks), waits for `ready()`, and returns its pid and a stop(). A daemon that exits
 * before it is ready rejects with its log's path. `detached` leaves it running after we exit.
 */
async function spawnDaemon({ binary, args, logFile, detached, name, ready }) {
  const out = openSync(logFile, 'a');
  const child = spawn(binary, args, { stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const killOnExit = () => {
    if (child.pid) signalGroup(child.pid, 'SIGKILL');
  };
  if (!detached) process.once('exit', killOnExit);
  try {
    await Promise.race([
      ready(),
      exited.then(({ code, signal }) => {
        throw new Error(`${name} exited during start (code ${code}, signal ${signal}); see ${logFile}`);
      }),
    ]);
  } catch (err) {
    killOnExit();
    process.removeListener('exit', killOnExit);
    throw err;
  }
  if (detached) child.unref();
  const pid = child.pid;
  return {
    pid,
    /** Stops the daemon and its group (SIGTERM, then SIGKILL after 3 s) and waits until all have exited. */
    async stop() {
      process.removeListener('exit', killOnExit);
      await stopGroup(pid);
    },
  };
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kamailio forks its workers into the process group of its main process (we start it as a group
 * leader), so signalling the group reaches every worker: killing only the main pid would leave the
 * workers holding the ports.
 */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already (or was never a group: fall back to the process itself).
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}

/**
 * The live (not zombie) members of the process group pgid, from /proc; null where there is no
 * /proc. Zombies hold no ports, and where nobody reaps orphans (some containers) they never leave.
 */
export function groupMembers(pgid) {
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  const members = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp ...: comm may contain spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(e));
  }
  return members;
}

/** True while any process of the group led by pid is alive. */
function groupAlive(pid) {
  const members = groupMembers(pid);
  if (members) return members.length > 0;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return isAlive(pid);
  }
}

async function waitExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !groupAlive(pid);
}

/** Stops Kamailio and all its workers: SIGTERM to the group, SIGKILL after timeoutMs. */
async function stopGroup(pid, timeoutMs = 3000) {
  if (!groupAlive(pid)) return false;
  signalGroup(pid, 'SIGTERM');
  if (!(await waitExit(pid, timeoutMs))) {
    signalGroup(pid, 'SIGKILL');
    await waitExit(pid, timeoutMs);
  }
  return true;
}

/**
 * Starts Kamailio in the foreground (-DD -E) as a child process with absolute paths and a pid
 * file, and resolves once its WebSocket port answers a SIP handshake.
 */
export async function startPbx(options = {}) {
  const kamailio = options.kamailio ?? findKamailio();
  if (!kamailio) throw new Error(INSTALL_HINT);
  const sipPort = options.sipPort ?? 5060;
  const wsPort = options.wsPort ?? 8080;
  const dir = path.resolve(options.dir ?? DEFAULT_DIR);
  mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, 'kamailio.pid');
  const logFile = path.join(dir, 'kamailio.log');
  const args = ['-f', PBX_CONFIG, '-DD', '-E', '-m', '64', '-M', '8', '-P', pidFile, '-w', dir];
  args.push('-A', `SIP_PORT=${sipPort}`, '-A', `WS_PORT=${wsPort}`);
  // rtpengine: on whenever installed (options.rtpengine undefined), required (true) or off (false).
  const wantRtpengine = options.rtpengine ?? Boolean(findRtpengine());
  // rtpengine's media timeout ends the dialog through Kamailio's XML-RPC (dlg.terminate_dlg) on the WS port.
  if (wantRtpengine && !existsSync(path.join(KAMAILIO_MODULES, 'xmlrpc.so'))) throw new Error(XMLRPC_HINT);
  const teardownUrl = `http://127.0.0.1:${wsPort}/RPC2`;
  const rtpe = wantRtpengine
    ? await startRtpengine({ dir, port: options.rtpenginePort, detached: options.detached, mediaTimeoutSeconds: options.mediaTimeoutSeconds, teardownUrl })
    : null;
  if (rtpe) args.push('-A', 'WITH_RTPENGINE', '-A', `RTPE_SOCK="udp:127.0.0.1:${rtpe.port}"`);
  // wss:// beside ws:// when a certificate is given (options.tls = { cert, key }, PEM paths).
  const wssPort = options.tls ? (options.wssPort ?? (await pickTcpPort())) : null;
  if (options.tls) args.push('-A', 'WITH_TLS', '-A', `WSS_PORT=${wssPort}`, '-A', `TLS_CERT="${path.resolve(options.tls.cert)}"`, '-A', `TLS_KEY="${path.resolve(options.tls.key)}"`);
  const wsUrl = `ws://127.0.0.1:${wsPort}`;
  let daemon;
  try {
    daemon = await spawnDaemon({
      binary: kamailio,
      args,
      logFile,
      detached: options.detached,
      name: 'kamailio',
      ready: () => waitForWebSocket(wsUrl, options.timeoutMs ?? 10000),
    });
  } catch (err) {
    await rtpe?.stop();
    throw err;
  }
  const pid = daemon.pid;
  return {
    pid,
    rtpengine: rtpe ? { pid: rtpe.pid, port: rtpe.port, logFile: rtpe.logFile } : null,
    wssUrl: wssPort ? `wss://127.0.0.1:${wssPort}` : null,
    sipPort,
    wsPort,
    wsUrl,
    dir,
    pidFile,
    logFile,
    /** Stops Kamailio with its workers and rtpengine, and waits until all have exited. */
    async stop() {
      await daemon.stop();
      rmSync(pidFile, { force: true });
      await rtpe?.stop();
    },
  };
}

/** Stops the instance recorded in dir's pid file; resolves false when none was running. */
export async function stopPbx(options = {}) {
  const dir = path.resolve(options.dir ?? DEFAULT_DIR);
  const pidFile = path.join(dir, 'kamailio.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const stopped = Number.isInteger(pid) && pid > 0 && (await stopGroup(pid));
  rmSync(pidFile, { force: true });
  const rtpePidFile = path.join(dir, 'rtpengine.pid');
  const rtpePid = existsSync(rtpePidFile) ? Number(readFileSync(rtpePidFile, 'utf8').trim()) : 0;
  if (Number.isInteger(rtpePid) && rtpePid > 0) await stopGroup(rtpePid);
  rmSync(rtpePidFile, { force: true });
  return stopped;
}

function parseArgs(argv) {
  const opts = { command: 'start' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sip-port') opts.sipPort = Number(argv[++i]);
    else if (a === '--ws-port') opts.wsPort = Number(argv[++i]);
    else if (a === '--dir') opts.dir = argv[++i];
    else if (a === '--rtpengine') opts.rtpengine = true;
    else if (a === '--no-rtpengine') opts.rtpengine = false;
    else if (a === '--media-timeout') opts.mediaTimeoutSeconds = Number(argv[++i]);
    else if (a === '--tls') opts.withTls = true;
    else if (a === '--wss-port') opts.wssPort = Number(argv[++i]);
    else if (!a.startsWith('-')) opts.command = a;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dir = path.resolve(opts.dir ?? DEFAULT_DIR);
  if (opts.withTls && (opts.command === 'start' || opts.command === 'run')) {
    const { createTestCa, issueServerCertificate } = await import('./testCa.mjs');
    const tlsDir = path.join(dir, 'tls');
    const ca = createTestCa(tlsDir, 'pbx-ca');
    opts.tls = issueServerCertificate(ca, tlsDir, 'pbx');
    console.log(`Test CA for wss://: ${ca.cert} (set sip.tlsCaFile to it)`);
  }
  switch (opts.command) {
    case 'start': {
      if (existsSync(path.join(dir, 'kamailio.pid'))) {
        const pid = Number(readFileSync(path.join(dir, 'kamailio.pid'), 'utf8'));
        if (isAlive(pid)) {
          console.log(`PBX already running (pid ${pid})`);
          return;
        }
      }
      const pbx = await startPbx({ ...opts, detached: true });
      console.log(`PBX running (pid ${pbx.pid}): sip udp/tcp 127.0.0.1:${pbx.sipPort}, ${pbx.wsUrl}; log ${pbx.logFile}`);
      if (pbx.wssUrl) console.log(`Secure WebSocket: ${pbx.wssUrl}`);
      console.log(pbx.rtpengine ? `Media bridge: rtpengine (pid ${pbx.rtpengine.pid}, ng udp:127.0.0.1:${pbx.rtpengine.port})` : `No media bridge (plain-RTP peers cannot talk to WebRTC agents). ${RTPENGINE_HINT}`);
      console.log('Test accounts: 1001..1009 / pw1001.., 2001..2009 / pw2001.., alice/alicepw, bob/bobpw, carol/carolpw');
      return;
    }
    case 'run': {
      const pbx = await startPbx(opts);
      console.log(`PBX running in the foreground (pid ${pbx.pid}), ${pbx.wsUrl}; Ctrl-C stops it; log ${pbx.logFile}`);
      const stop = () => void pbx.stop().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return;
    }
    case 'stop':
      console.log((await stopPbx({ dir })) ? 'PBX stopped' : 'PBX was not running');
      return;
    case 'status': {
      const pidFile = path.join(dir, 'kamailio.pid');
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0;
      console.log(pid && isAlive(pid) ? `PBX running (pid ${pid})` : 'PBX not running');
      return;
    }
    default:
      throw new Error(`unknown command ${opts.command} (start | run | stop | status)`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
