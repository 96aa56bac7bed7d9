import { normaliseDialTarget } from '../phone-number/sipUri';

/**
 * Call links clicked anywhere (`tel:`, `sip:`, `sips:`, `callto:`: the Electron protocol handler, a
 * `?dial=` URL parameter of the browser host), turned into what the dial box takes.
 */

/** URL schemes the app dials: `tel:`, `sip:` (and `sips:`), `callto:`. */
export const CALL_LINK_SCHEMES = ['tel', 'sip', 'sips', 'callto'] as const;

/** Longest call link considered. */
const MAX_LINK_LENGTH = 2048;

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The dial target of a call link: `tel:+86-755-8888-1234;phone-context=...` -> `+8675588881234`,
 * `callto://+1 212 555 0123` -> `+12125550123`, `sip:1002@pbx.example` -> the URI itself. A global
 * `phone-context` (`+86755`) is put in front of a local tel: number. Null for anything else.
 */
export function callLinkTarget(link: string): string | null {
  const value = link.trim();
  if (!value || value.length > MAX_LINK_LENGTH || /[\u0000-\u001f]/.test(value)) return null;
  const m = /^(tel|sips?|callto):(?:\/\/)?(.*)$/i.exec(value);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  const body = decode(m[2] ?? '');
  if (scheme === 'sip' || scheme === 'sips') {
    const uri = `${scheme}:${body.split('?')[0]}`;
    const t = normaliseDialTarget(uri);
    if (t) return t.value;
    const user = body.split(/[@;?]/)[0] ?? '';
    return normaliseDialTarget(user)?.value ?? null;
  }
  const [number = '', ...params] = body.split(/[;?]/);
  let text = number.trim();
  const context = params.map((p) => /^phone-context=(\+[\d\-.() ]+)$/i.exec(p.trim())?.[1]).find((c) => c);
  if (context && !text.startsWith('+')) text = `${context.replace(/[^\d+]/g, '')}${text.replace(/\D/g, '')}`;
  const t = normaliseDialTarget(text);
  return t && t.kind === 'number' && /\d/.test(t.value) ? t.value : null;
}
