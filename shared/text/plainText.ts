/**
 * Text from outside (a caller's SIP display name, a customer name) made safe to show as one plain
 * line: no bidirectional controls, no control or separator characters, whitespace collapsed, and
 * optionally bounded in length. Pure string code, no Node or DOM APIs.
 */

/**
 * Unicode bidirectional formatting characters: ALM (U+061C), LRM/RLM (U+200E/F), the embeddings and
 * overrides LRE, RLE, PDF, LRO, RLO (U+202A-202E) and the isolates LRI, RLI, FSI, PDI (U+2066-2069).
 * A right-to-left override in a caller's name would reorder everything after it on screen (the
 * number, the buttons' labels), so they are removed, never rendered.
 */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

// C0 and C1 controls, DEL, line and paragraph separators, the BOM / zero-width no-break space,
// interlinear annotation and object replacement characters.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufff9-\ufffc]/g;

/** The ellipsis put at the end of bounded text. */
export const ELLIPSIS = '…';

/**
 * One plain line of text: bidi controls and control characters removed, runs of whitespace (tabs,
 * newlines, exotic spaces) made one space, trimmed. With `maxLength`, longer text is cut to
 * `maxLength` characters including a trailing `…`, never inside a surrogate pair.
 */
export function plainText(value: string, maxLength?: number): string {
  const clean = value.replace(BIDI_CONTROLS, '').replace(CONTROLS, ' ').replace(/\s+/gu, ' ').trim();
  if (maxLength === undefined || clean.length <= maxLength) return clean;
  if (maxLength <= 1) return ELLIPSIS.slice(0, Math.max(0, maxLength));
  let cut = maxLength - 1;
  const last = clean.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${clean.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}
