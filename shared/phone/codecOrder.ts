/** Audio codecs the agent's media engine offers, by their SDP encoding names (lower case). */
export const AUDIO_CODECS = ['opus', 'g722', 'pcmu', 'pcma'] as const;
/** An audio codec name. */
export type AudioCodec = (typeof AUDIO_CODECS)[number];
/** The default preference: opus (wideband, robust), G.722 (wideband), then G.711 mu-law and A-law. */
export const DEFAULT_CODEC_ORDER: AudioCodec[] = ['opus', 'g722', 'pcmu', 'pcma'];

/**
 * Reorders the payload types of every audio m-line of an SDP so the codecs in `order` come first,
 * in that order; everything else (codecs not named, telephone-event, CN, RED) keeps its relative
 * order after them. Offers and answers alike: the first codec both sides have is the one used.
 */
export function applyCodecOrder(sdp: string, order: readonly string[]): string {
  if (order.length === 0) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  const rank = (name: string | undefined) => {
    const i = name === undefined ? -1 : order.indexOf(name.toLowerCase());
    return i < 0 ? order.length : i;
  };
  for (let m = 0; m < lines.length; m++) {
    const mline = /^m=audio (\S+) (\S+) (.+)$/.exec(lines[m]!);
    if (!mline) continue;
    const end = lines.findIndex((l, i) => i > m && l.startsWith('m='));
    const names = new Map<string, string>();
    for (const l of lines.slice(m + 1, end < 0 ? undefined : end)) {
      const r = /^a=rtpmap:(\d+) ([^/\s]+)/.exec(l);
      if (r) names.set(r[1]!, r[2]!);
    }
    const STATIC: Record<string, string> = { '0': 'pcmu', '8': 'pcma', '9': 'g722' };
    const pts = mline[3]!.trim().split(/\s+/);
    const sorted = pts
      .map((pt, i) => ({ pt, i, r: rank(names.get(pt) ?? STATIC[pt]) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.pt);
    lines[m] = `m=audio ${mline[1]} ${mline[2]} ${sorted.join(' ')}`;
  }
  return lines.join(eol);
}
