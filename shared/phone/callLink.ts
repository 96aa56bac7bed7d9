/**
 * Call links clicked anywhere on the machine (`tel:`, `sip:`, `sips:`, `callto:`), turned into
 * what the dial box takes: a number, or a sip: URI.
 */

const SCHEMES = /^(tel|sips?|callto):/i;

/** The dial target of a call link, or null when it is not one (or carries nothing dialable). */
export function callLinkTarget(url: string): string | null {
  const trimmed = url.trim();
  const m = SCHEMES.exec(trimmed);
  if (!m || trimmed.length > 512) return null;
  const scheme = m[1]!.toLowerCase();
  let rest = trimmed.slice(m[0].length);
  try {
    rest = decodeURIComponent(rest);
  } catch {
    return null;
  }
  if (scheme === 'sip' || scheme === 'sips') {
    const uri = `${scheme}:${rest.split('?')[0]}`;
    return /^sips?:[^@\s]+(@[^\s]+)?$/.test(uri) ? uri : null;
  }
  const number = rest.replace(/^\/\//, '').split(/[;?]/)[0]!.replace(/[\s().-]/g, '');
  return /^\+?[0-9*#]{2,32}$/.test(number) ? number : null;
}
