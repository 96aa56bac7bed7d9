import { AppError } from '../api/result';

/** A decoded file. */
export interface DecodedCsv {
  text: string;
  /** `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be` or `gb18030`. */
  encoding: string;
}

/** The WHATWG TextDecoder (Node and browsers both have it, with GB18030 and UTF-16). */
type Decoder = new (label: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) => { decode(bytes: Uint8Array): string };
const TextDecoderImpl = (globalThis as unknown as { TextDecoder: Decoder }).TextDecoder;

/**
 * Decodes CSV bytes, the same on the desktop and the server. `auto`: a BOM decides (UTF-8, UTF-16
 * LE/BE); otherwise strict UTF-8 is tried and GB18030 (a superset of GBK and GB2312, what Chinese
 * Excel writes) is the fallback. A file with NUL bytes outside UTF-16, or that decodes to nothing,
 * is unreadable: INVALID_PAYLOAD, nothing imported.
 */
export function decodeCsv(bytes: Uint8Array, encoding: string = 'auto'): DecodedCsv {
  const hasBom = (...b: number[]) => b.every((v, i) => bytes[i] === v);
  const decode = (label: string, body: Uint8Array, fatal = false) => new TextDecoderImpl(label, { fatal }).decode(body);
  let result: DecodedCsv;
  if (encoding === 'utf-16le' || (encoding === 'auto' && hasBom(0xff, 0xfe))) {
    result = { text: stripBom(decode('utf-16le', bytes)), encoding: 'utf-16le' };
  } else if (encoding === 'utf-16be' || (encoding === 'auto' && hasBom(0xfe, 0xff))) {
    result = { text: stripBom(decode('utf-16be', bytes)), encoding: 'utf-16be' };
  } else if (encoding === 'gb18030') {
    result = { text: decode('gb18030', bytes), encoding: 'gb18030' };
  } else {
    const bom = hasBom(0xef, 0xbb, 0xbf);
    const body = bom ? bytes.subarray(3) : bytes;
    try {
      result = { text: decode('utf-8', body, true), encoding: bom ? 'utf-8-bom' : 'utf-8' };
    } catch {
      if (encoding === 'utf-8') throw new AppError('INVALID_PAYLOAD', 'The file is not valid UTF-8 text; choose GB18030/GBK or auto-detect');
      result = { text: decode('gb18030', body), encoding: 'gb18030' };
    }
  }
  if (result.text.includes('\u0000')) throw new AppError('INVALID_PAYLOAD', 'The file is not a text (CSV) file');
  if (result.text.trim() === '') throw new AppError('INVALID_PAYLOAD', 'The file is empty');
  return result;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
