import { pinyin } from 'pinyin-pro';

/** Pinyin of a name, for search: `张伟` -> full `zhangwei`, initials `zw`. Empty when no Chinese. */
export interface NamePinyin {
  full: string;
  initials: string;
}

const HAN = /\p{Script=Han}/u;
const CACHE_LIMIT = 50_000;
const cache = new Map<string, NamePinyin>();

/**
 * Pinyin of the Chinese characters in a name, toneless, `ü` as `v` (what people type), surnames read
 * as surnames (`单` -> `shan`). Non-Chinese characters are left out: a Latin name needs no pinyin.
 * Memoised (bounded), because imports and the demo generator repeat the same names a lot.
 */
export function namePinyin(name: string): NamePinyin {
  if (!HAN.test(name)) return { full: '', initials: '' };
  const han = [...name].filter((ch) => HAN.test(ch)).join('');
  // Keyed by the Chinese characters only: `张伟`, `张伟 (VIP)` and `张伟2` share one entry.
  const hit = cache.get(han);
  if (hit) return hit;
  const syllables = pinyin(han, { toneType: 'none', type: 'array', surname: 'head', v: true, nonZh: 'removed' });
  const clean = syllables.map((s) => s.toLowerCase().replace(/[^a-z]/g, '')).filter((s) => s !== '');
  const result = { full: clean.join(''), initials: clean.map((s) => s.charAt(0)).join('') };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(han, result);
  return result;
}
