/**
 * Report periods in the centre's time zone: 15-minute interval, day, week (Monday first, ISO) and
 * month. Uses only `Intl` (ECMAScript), so it runs the same on the server and in the renderer.
 */

/** Report grains. */
export const REPORT_GRAINS = ['interval', 'day', 'week', 'month'] as const;
/** A report grain. */
export type ReportGrain = (typeof REPORT_GRAINS)[number];

const INTERVAL_MS = 15 * 60_000;

interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wall(at: number, timeZone: string): Wall {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, mo: p.month!, d: p.day!, h: p.hour!, mi: p.minute! };
}

/** Epoch ms of a wall-clock time in `timeZone` (the earlier one when a clock change repeats it). */
export function zonedEpoch(y: number, mo: number, d: number, h: number, mi: number, timeZone: string): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  let guess = asUtc;
  for (let i = 0; i < 3; i++) {
    const w = wall(guess, timeZone);
    const diff = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi) - asUtc;
    if (diff === 0) break;
    guess -= diff;
  }
  return guess;
}

/** Throws a clear error for a time zone `Intl` does not know. */
export function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`unknown time zone "${timeZone}"`);
  }
}

/** Start (epoch ms) of the period of `grain` holding `at`. */
export function bucketStart(at: number, grain: ReportGrain, timeZone: string): number {
  const w = wall(at, timeZone);
  switch (grain) {
    case 'interval':
      // Every time zone's offset is a whole number of quarter hours: local quarters are UTC quarters
      // (and a clock change cannot make an interval start that does not exist).
      return at - (((at % INTERVAL_MS) + INTERVAL_MS) % INTERVAL_MS);
    case 'day':
      return zonedEpoch(w.y, w.mo, w.d, 0, 0, timeZone);
    case 'week': {
      const dow = (new Date(Date.UTC(w.y, w.mo - 1, w.d)).getUTCDay() + 6) % 7; // Monday = 0
      const monday = new Date(Date.UTC(w.y, w.mo - 1, w.d - dow));
      return zonedEpoch(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), 0, 0, timeZone);
    }
    case 'month':
      return zonedEpoch(w.y, w.mo, 1, 0, 0, timeZone);
  }
}

/** Start of the period after the one starting at `start`. */
export function nextBucket(start: number, grain: ReportGrain, timeZone: string): number {
  if (grain === 'interval') return start + INTERVAL_MS;
  const w = wall(start, timeZone);
  switch (grain) {
    case 'day':
      return zonedEpoch(w.y, w.mo, w.d + 1, 0, 0, timeZone);
    case 'week':
      return zonedEpoch(w.y, w.mo, w.d + 7, 0, 0, timeZone);
    case 'month':
      return zonedEpoch(w.y, w.mo + 1, 1, 0, 0, timeZone);
  }
}

/** Every period start of `grain` overlapping [from, to). */
export function bucketStarts(from: number, to: number, grain: ReportGrain, timeZone: string, max = 20_000): number[] {
  const out: number[] = [];
  for (let b = bucketStart(from, grain, timeZone); b < to; b = nextBucket(b, grain, timeZone)) {
    out.push(b);
    if (out.length > max) throw new RangeError(`more than ${max} periods: choose a coarser grain or a shorter range`);
  }
  return out;
}

/** A period's label in the centre's time zone: `2026-12-03 09:15`, `2026-12-03`, `2026-12` (weeks: their Monday). */
export function bucketLabel(start: number, grain: ReportGrain, timeZone: string): string {
  const w = wall(start, timeZone);
  const p = (n: number) => String(n).padStart(2, '0');
  const day = `${w.y}-${p(w.mo)}-${p(w.d)}`;
  if (grain === 'interval') return `${day} ${p(w.h)}:${p(w.mi)}`;
  if (grain === 'month') return `${w.y}-${p(w.mo)}`;
  return day;
}
