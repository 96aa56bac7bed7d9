import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';
import type { UpdateChannel, UpdateFile, UpdateInfo } from './updatePolicy';

/**
 * The update feed electron-builder's generic provider publishes: `<url>/<channel>[-mac|-linux].yml`
 * (`latest` for stable) describing the newest release, next to its files.
 */

/** The feed file name of a channel on a platform (as electron-updater asks for it). */
export function feedFileName(channel: UpdateChannel, platform: string): string {
  const base = channel === 'stable' ? 'latest' : channel;
  return platform === 'darwin' ? `${base}-mac.yml` : platform === 'linux' ? `${base}-linux.yml` : `${base}.yml`;
}

function unquote(v: string): string {
  const t = v.trim();
  if ((t.startsWith("'") && t.endsWith("'")) || (t.startsWith('"') && t.endsWith('"'))) return t.slice(1, -1).replace(/''/g, "'");
  return t;
}

/**
 * Parses the subset of YAML electron-builder writes in `latest.yml`: top-level scalars and the
 * `files` list of `url`/`sha512`/`size` maps. Anything else is ignored; a feed without a version
 * or files is refused with a clear error.
 */
export function parseUpdateInfo(text: string): UpdateInfo {
  const top: Record<string, string> = {};
  const files: Partial<UpdateFile>[] = [];
  let inFiles = false;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const topMatch = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (topMatch) {
      inFiles = topMatch[1] === 'files' && topMatch[2] === '';
      if (!inFiles) top[topMatch[1]!] = unquote(topMatch[2]!);
      continue;
    }
    const item = /^\s+(-\s+)?([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (!inFiles || !item) continue;
    if (item[1]) files.push({});
    const current = files.at(-1);
    if (!current) continue;
    const value = unquote(item[3]!);
    if (item[2] === 'url') current.url = value;
    else if (item[2] === 'sha512') current.sha512 = value;
    else if (item[2] === 'size') current.size = Number(value);
  }
  const version = top.version;
  if (!version) throw new AppError('UPDATE_FEED_INVALID', 'The update feed names no version');
  const complete = files.filter((f): f is UpdateFile => typeof f.url === 'string' && typeof f.sha512 === 'string').map((f) => ({ url: f.url, sha512: f.sha512, size: Number.isFinite(f.size) ? f.size! : null }));
  // Older feeds carry only the top-level path/sha512.
  if (complete.length === 0 && top.path && top.sha512) complete.push({ url: top.path, sha512: top.sha512, size: null });
  if (complete.length === 0) throw new AppError('UPDATE_FEED_INVALID', `The update feed for ${version} lists no file with its sha512`);
  return { version, files: complete, releaseDate: top.releaseDate ?? null };
}

/** Fetches and parses the feed of a channel; null when the feed does not exist (404). */
export async function fetchUpdateInfo(baseUrl: string, channel: UpdateChannel, platform: string, fetchImpl: typeof fetch = fetch): Promise<UpdateInfo | null> {
  const url = new URL(feedFileName(channel, platform), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  let res: Response;
  try {
    res = await fetchImpl(url, { signal: AbortSignal.timeout(30_000), headers: { 'cache-control': 'no-cache' } });
  } catch (err) {
    throw new AppError('DISCONNECTED', `The update feed ${url.href} cannot be reached: ${(err as Error).message}`);
  }
  if (res.status === 404) return null;
  if (!res.ok) throw new AppError('DISCONNECTED', `The update feed ${url.href} answered ${res.status}`);
  return parseUpdateInfo(await res.text());
}

/**
 * Downloads a release file next to the feed into `dir` and verifies its size and SHA-512 against
 * the feed; a mismatch deletes the file and throws UPDATE_CHECKSUM. Returns the verified file.
 */
export async function downloadVerified(baseUrl: string, file: UpdateFile, dir: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  const url = new URL(file.url, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const res = await fetchImpl(url, { signal: AbortSignal.timeout(30 * 60_000) });
  if (!res.ok || !res.body) throw new AppError('DISCONNECTED', `The update ${url.href} answered ${res.status}`);
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, path.basename(url.pathname));
  const partial = `${target}.partial`;
  const hash = createHash('sha512');
  const out = fs.createWriteStream(partial);
  let size = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.byteLength;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  } finally {
    await new Promise<void>((r) => out.end(() => r()));
  }
  const digest = hash.digest('base64');
  if (digest !== file.sha512 || (file.size !== null && size !== file.size)) {
    fs.rmSync(partial, { force: true });
    throw new AppError('UPDATE_CHECKSUM', `The download of ${url.href} does not match the feed (sha512 ${digest.slice(0, 12)}… size ${size}); it was deleted`);
  }
  fs.renameSync(partial, target);
  return target;
}
