import { createHash } from 'node:crypto';
import type { UPDATE_CHANNELS } from '../../../shared/settings/definitions';

/**
 * Which version a desktop updates to, and when (issue 14, item 4). Pure functions: the update
 * service feeds them the feed, the settings (policy or the server per team) and the install id.
 */

/** An update channel (`stable`: releases only; `beta`: pre-releases too). */
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];

/** One downloadable file of a release, as electron-builder writes it in `latest.yml`. */
export interface UpdateFile {
  url: string;
  /** SHA-512 of the file, base64 (electron-builder's format). */
  sha512: string;
  size: number | null;
}

/** A release as an update feed describes it. */
export interface UpdateInfo {
  version: string;
  files: UpdateFile[];
  releaseDate: string | null;
}

/** The update settings in force. */
export interface UpdateRules {
  enabled: boolean;
  channel: UpdateChannel;
  /** Highest version allowed ('' = no limit). */
  maxVersion: string;
  /** The only version allowed ('' = none pinned). */
  pinnedVersion: string;
  /** Share of desktops (0..100) that take a new version (staged rollout). */
  rolloutPercent: number;
}

/** What to do with the feed's release. */
export type UpdateDecision =
  | { action: 'update'; version: string; file: UpdateFile }
  | { action: 'none'; reason: UpdateSkipReason; version?: string };

/** Why no update is taken. */
export type UpdateSkipReason = 'disabled' | 'no-feed' | 'up-to-date' | 'prerelease-on-stable' | 'not-pinned-version' | 'above-maximum' | 'not-in-rollout' | 'no-file' | 'invalid-version';

interface SemVer {
  nums: [number, number, number];
  pre: string[];
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parse(v: string): SemVer | null {
  const m = SEMVER.exec(v.trim());
  return m ? { nums: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] } : null;
}

/** True for a semantic version such as 1.4.0 or 1.5.0-beta.2. */
export function isVersion(v: string): boolean {
  return parse(v) !== null;
}

/** Compares two semantic versions (pre-releases sort before their release); NaN when one is invalid. */
export function compareVersions(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return Number.NaN;
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i]! < y.nums[i]! ? -1 : 1;
  if (x.pre.length === 0 || y.pre.length === 0) return x.pre.length === y.pre.length ? 0 : x.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) < Number(q) ? -1 : 1;
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/**
 * The rollout bucket (0..99) of an installation for one version: a stable hash of the install id
 * and the version, so the same desktop always answers the same for a version, and each version
 * reaches a different first share of desktops.
 */
export function rolloutBucket(installId: string, version: string): number {
  return createHash('sha256').update(`${installId}\n${version}`).digest().readUInt32BE(0) % 100;
}

/** Decides whether to take the feed's release (`files[0]` is the one the platform installs). */
export function decideUpdate(input: { current: string; feed: UpdateInfo | null; rules: UpdateRules; installId: string }): UpdateDecision {
  const { current, feed, rules } = input;
  if (!rules.enabled) return { action: 'none', reason: 'disabled' };
  if (!feed) return { action: 'none', reason: 'no-feed' };
  const version = feed.version;
  if (!isVersion(version) || !isVersion(current)) return { action: 'none', reason: 'invalid-version', version };
  if (compareVersions(version, current) <= 0) return { action: 'none', reason: 'up-to-date', version };
  if (rules.pinnedVersion !== '' && compareVersions(version, rules.pinnedVersion) !== 0) return { action: 'none', reason: 'not-pinned-version', version };
  if (rules.channel === 'stable' && parse(version)!.pre.length > 0) return { action: 'none', reason: 'prerelease-on-stable', version };
  if (rules.maxVersion !== '' && compareVersions(version, rules.maxVersion) > 0) return { action: 'none', reason: 'above-maximum', version };
  // A pinned version is IT's explicit choice for every desktop: no staged rollout for it.
  if (rules.pinnedVersion === '' && rolloutBucket(input.installId, version) >= rules.rolloutPercent) return { action: 'none', reason: 'not-in-rollout', version };
  const file = feed.files[0];
  if (!file) return { action: 'none', reason: 'no-file', version };
  return { action: 'update', version, file };
}

/**
 * When a downloaded update may install: never during a call or wrap-up (`wait`); at idle, the agent
 * is asked (`ask`) while postpones are left, after that it installs at the next idle moment.
 */
export function installTiming(input: { busy: boolean; postponed: number; maxPostpones: number }): 'wait' | 'ask' | 'install' {
  if (input.busy) return 'wait';
  return input.postponed < input.maxPostpones ? 'ask' : 'install';
}
