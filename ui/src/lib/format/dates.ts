// Dates for history filters and display. Filters are local calendar days (YYYY-MM-DD) inside;
// people see and type them day/month/year in both languages (the Gulf's order), never
// month/day/year. The CSV keeps ISO dates.
import { toLatinDigits } from './money';

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Local calendar day of a Date as YYYY-MM-DD. */
export function localDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function today(): string {
  return localDay(new Date());
}

/** Local day of an RFC 3339 timestamp; '' when unparseable. */
export function dayOf(timestamp: string): string {
  const d = new Date(timestamp);
  return Number.isNaN(d.getTime()) ? '' : localDay(d);
}

/** "14:05" for today, "21/11/2026 14:05" otherwise: day/month/year in both languages. */
export function formatWhen(timestamp: string, _lang: 'en' | 'ar' = 'en', now: Date = new Date()): string {
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return timestamp;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (localDay(d) === localDay(now)) return time;
  return `${formatDay(localDay(d))} ${time}`;
}

/** "2026-11-21" → "21/11/2026"; text that is not an ISO day comes back as it is. */
export function formatDay(isoDay: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : isoDay;
}

/**
 * A typed day/month/year ("21/11/2026", "1-2-2026", "٢١/١١/٢٠٢٦", "21.11.26") as an ISO day, or
 * null when it is not a real calendar day. Two-digit years are 20xx. Month/day order is never
 * guessed: the first number is always the day.
 */
export function parseDay(text: string): string | null {
  const latin = toLatinDigits(text.trim());
  const match = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{2}|\d{4})$/.exec(latin);
  if (!match) return null;
  const day = Number(match[1]);
  const month = Number(match[2]);
  const year = match[3]!.length === 2 ? 2000 + Number(match[3]) : Number(match[3]);
  const date = new Date(year, month - 1, day);
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  return localDay(date);
}

export type WeekStartDay = 'saturday' | 'sunday' | 'monday';

const FIRST_DAY: Record<WeekStartDay, number> = { sunday: 0, monday: 1, saturday: 6 };

/** The weekdays (0 = Sunday … 6 = Saturday) in the order a week starting on `start` shows them. */
export function weekdayOrder(start: WeekStartDay): number[] {
  const first = FIRST_DAY[start];
  return Array.from({ length: 7 }, (_, i) => (first + i) % 7);
}

/**
 * The weeks of a month as rows of ISO days, each row starting on `start`; days outside the
 * month are null.
 */
export function monthGrid(year: number, month: number, start: WeekStartDay): Array<Array<string | null>> {
  const first = new Date(year, month - 1, 1);
  const lead = (first.getDay() - FIRST_DAY[start] + 7) % 7;
  const days = new Date(year, month, 0).getDate();
  const cells: Array<string | null> = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= days; d++) cells.push(localDay(new Date(year, month - 1, d)));
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: Array<Array<string | null>> = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}
