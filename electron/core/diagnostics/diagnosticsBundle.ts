import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { AppInfo } from '../../../shared/app/api';
import type { AudioDevice, BundleFile, DiagnosticsPreview } from '../../../shared/diagnostics/api';
import { redactSecrets } from '../../../shared/log/redact';
import type { PhoneState } from '../../../shared/phone/call';
import type { SettingsSnapshot } from '../../../shared/settings/definitions';
import type { SyncState } from '../../../shared/sync/api';

/** Where a bundle's facts come from (the composition root wires the core's services in). */
export interface DiagnosticsSources {
  now: () => number;
  info: () => AppInfo;
  settings: () => SettingsSnapshot;
  phone: () => PhoneState;
  sync: () => SyncState;
  /** What the server provisioned (team, queues, account without password). */
  provisioned: () => unknown;
  /** WebRTC stats of live calls and summaries of recent ones. */
  webrtc: () => unknown;
  /** The last minutes of SIP messages, as text. */
  sipTrace: () => string;
  /** Every secret value this desktop knows (keychain entries, CTI token): removed wherever it appears. */
  secretValues: () => Promise<string[]>;
}

/** One file of a bundle with its content. */
export interface BundleEntry extends BundleFile {
  content: string;
}

/** A bundle's files and how many secrets were removed from them. */
export interface CollectedBundle {
  entries: BundleEntry[];
  secretsRemoved: number;
}

/** The log files kept by the rotating sink (calldesk.log, calldesk.log.1 …), newest first. */
const MAX_LOG_FILES = 5;
/** Only the end of a log file larger than this goes in (bytes). */
const MAX_LOG_BYTES = 5 * 1024 * 1024;

/**
 * Removes secrets from text: every known secret value, SIP digest parameters (response, nonce,
 * cnonce) and bearer tokens. Returns the text and how many values were removed.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): { text: string; removed: number } {
  let removed = 0;
  let out = text;
  // Longest first, so a secret that contains another is removed whole.
  for (const secret of [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    const parts = out.split(secret);
    removed += parts.length - 1;
    out = parts.join('[removed]');
  }
  out = out.replace(/\b(response|nonce|cnonce)\s*=\s*"[^"]*"/gi, (_m, k: string) => {
    removed += 1;
    return `${k}="[removed]"`;
  });
  out = out.replace(/\bBearer\s+(?!\[removed\])[A-Za-z0-9._~+/=-]+/g, () => {
    removed += 1;
    return 'Bearer [removed]';
  });
  return { text: out, removed };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The tail of a file, at most `max` bytes, starting at a line. */
function readTail(file: string, max: number): string {
  const size = fs.statSync(file).size;
  if (size <= max) return fs.readFileSync(file, 'utf8');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(max);
    fs.readSync(fd, buf, 0, max, size - max);
    const text = buf.toString('utf8');
    return text.slice(text.indexOf('\n') + 1);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Collects the bundle's files: versions, OS, effective settings with their sources (secret fields
 * removed), phone and registration state, audio devices, SIP trace, WebRTC stats, sync state and
 * outbox depth, and the log files. Every file then has the known secrets removed.
 */
export async function collectBundle(sources: DiagnosticsSources, audioDevices: AudioDevice[] | null): Promise<CollectedBundle> {
  const info = sources.info();
  const settings = sources.settings();
  const files: Omit<BundleEntry, 'bytes'>[] = [
    {
      name: 'versions.json',
      kind: 'versions',
      content: json({
        app: info.name,
        version: info.version,
        host: info.host,
        schemaVersion: info.schemaVersion,
        node: process.versions.node,
        electron: process.versions.electron ?? null,
        chrome: process.versions.chrome ?? null,
        v8: process.versions.v8,
      }),
    },
    {
      name: 'os.json',
      kind: 'os',
      content: json({
        platform: info.platform,
        release: os.release(),
        arch: os.arch(),
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? null,
        memoryMb: Math.round(os.totalmem() / 1048576),
        freeMemoryMb: Math.round(os.freemem() / 1048576),
        uptimeSeconds: Math.round(os.uptime()),
        locale: info.locale,
        paths: { dataDir: info.dataDir, logFile: info.logFile, databaseFile: info.databaseFile, policyFile: info.policyFile },
      }),
    },
    {
      name: 'settings.json',
      kind: 'settings',
      content: json({
        revision: settings.revision,
        entries: settings.entries.map((e) => ({ key: e.key, value: redactSecrets(e.value, 0, e.key), source: e.source, locked: e.locked, ...(e.problem ? { problem: e.problem } : {}) })),
        problems: settings.problems ?? [],
      }),
    },
    { name: 'phone.json', kind: 'phone', content: json(redactSecrets(sources.phone())) },
    {
      name: 'audio-devices.json',
      kind: 'audio',
      content: json(audioDevices === null ? { available: false, reason: 'no window: audio devices are listed by the app window' } : { available: true, devices: audioDevices }),
    },
    { name: 'sip-trace.txt', kind: 'sipTrace', content: sources.sipTrace() || '(no SIP messages in the last minutes)\n' },
    { name: 'webrtc-stats.json', kind: 'webrtc', content: json(sources.webrtc()) },
    { name: 'sync.json', kind: 'sync', content: json(redactSecrets({ state: sources.sync(), provisioned: sources.provisioned() })) },
  ];
  for (let i = 0; i < MAX_LOG_FILES; i++) {
    const file = i === 0 ? info.logFile : `${info.logFile}.${i}`;
    if (!fs.existsSync(file)) continue;
    files.push({ name: `logs/${path.basename(file)}`, kind: 'log', content: readTail(file, MAX_LOG_BYTES) });
  }
  const secrets = await sources.secretValues();
  let secretsRemoved = 0;
  const entries: BundleEntry[] = files.map((f) => {
    const s = scrubSecrets(f.content, secrets);
    secretsRemoved += s.removed;
    return { ...f, content: s.text, bytes: Buffer.byteLength(s.text) };
  });
  const manifest = json({
    format: 'calldesk-diagnostics/1',
    createdAt: new Date(sources.now()).toISOString(),
    app: `${info.name} ${info.version}`,
    secretsRemoved,
    files: entries.map(({ name, kind, bytes }) => ({ name, kind, bytes })),
  });
  entries.unshift({ name: 'manifest.json', kind: 'manifest', content: manifest, bytes: Buffer.byteLength(manifest) });
  return { entries, secretsRemoved };
}

/** The preview of a collected bundle: its files and sizes. */
export function previewOf(bundle: CollectedBundle): DiagnosticsPreview {
  return { files: bundle.entries.map(({ name, kind, bytes }) => ({ name, kind, bytes })), secretsRemoved: bundle.secretsRemoved };
}

/** The zip of a collected bundle. */
export function zipBundle(bundle: CollectedBundle, now: number): Uint8Array {
  const mtime = new Date(now);
  return zipSync(Object.fromEntries(bundle.entries.map((e) => [e.name, [strToU8(e.content), { mtime }]])), { level: 6 });
}

/** The default file name of a bundle made at `now` (local time, sortable). */
export function bundleFileName(now: number): string {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, '0');
  return `calldesk-diagnostics-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.zip`;
}

/** Writes a bundle to `file` (readable by this user only) and returns its size. */
export function writeBundle(file: string, zip: Uint8Array): number {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, zip, { mode: 0o600 });
  return zip.byteLength;
}
