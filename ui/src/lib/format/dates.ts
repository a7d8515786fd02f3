// Dates for history filters and display. Filters are local calendar days (YYYY-MM-DD).

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

/** "14:05" for today, "21 Nov 14:05" otherwise; in the UI language's calendar words. */
export function formatWhen(timestamp: string, lang: 'en' | 'ar', now: Date = new Date()): string {
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return timestamp;
  const locale = lang === 'ar' ? 'ar-u-nu-latn' : 'en-GB';
  const time = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (localDay(d) === localDay(now)) return time;
  const day = d.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
  return `${day} ${time}`;
}
