import { parseBirthday } from './schema';

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** Default number of days without contact after which a customer counts as dormant. */
export const DEFAULT_DORMANT_DAYS = 90;

/**
 * Whole days since the last contact ("last contact N days ago"), never negative; null when the
 * customer was never contacted.
 */
export function daysSinceLastContact(lastContactAt: number | null, now: number): number | null {
  if (lastContactAt === null) return null;
  return Math.max(0, Math.floor((now - lastContactAt) / DAY_MS));
}

/**
 * True when the last contact is more than `dormantDays` days ago. A customer never contacted is not
 * dormant (there is no relationship to lapse yet); filter on `lastContactAt === null` for those.
 */
export function isDormant(lastContactAt: number | null, now: number, dormantDays: number): boolean {
  return lastContactAt !== null && now - lastContactAt > dormantDays * DAY_MS;
}

/** The oldest last-contact time that is still not dormant: `lastContactAt < cutoff` means dormant. */
export function dormantCutoff(now: number, dormantDays: number): number {
  return now - dormantDays * DAY_MS;
}

/** Whether a birthday is today or in the current calendar week. */
export type BirthdayStatus = 'today' | 'this-week' | null;

/** A calendar day in the agent's time zone. */
export interface LocalDate {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
}

/** The local calendar day of a timestamp, for a time-zone offset in minutes east of UTC. */
export function localDate(now: number, utcOffsetMinutes: number): LocalDate {
  const d = new Date(now + utcOffsetMinutes * 60_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Day number (days since 1970-01-01) of a calendar date. */
function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/**
 * Birthday badge for the card: `today`, `this-week` (any other day of the same Monday-to-Sunday
 * week, so a birthday yesterday still shows), or null. A 29 February birthday is celebrated on
 * 28 February in common years. Malformed birthdays give null.
 */
export function birthdayStatus(birthday: string | null, today: LocalDate): BirthdayStatus {
  if (!birthday) return null;
  const parsed = parseBirthday(birthday);
  if (!parsed) return null;
  const todayNumber = dayNumber(today.year, today.month, today.day);
  const weekday = (new Date(todayNumber * DAY_MS).getUTCDay() + 6) % 7;
  const monday = todayNumber - weekday;
  const sunday = monday + 6;
  for (const year of [today.year - 1, today.year, today.year + 1]) {
    const day = parsed.month === 2 && parsed.day === 29 && !isLeap(year) ? 28 : parsed.day;
    const n = dayNumber(year, parsed.month, day);
    if (n === todayNumber) return 'today';
    if (n >= monday && n <= sunday) return 'this-week';
  }
  return null;
}

/** Age in whole years on a given day; null when the birthday has no year or is malformed. */
export function ageOn(birthday: string | null, today: LocalDate): number | null {
  const parsed = birthday ? parseBirthday(birthday) : null;
  if (!parsed || parsed.year === null) return null;
  const hadBirthday = today.month > parsed.month || (today.month === parsed.month && today.day >= parsed.day);
  return today.year - parsed.year - (hadBirthday ? 0 : 1);
}
