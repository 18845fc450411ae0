/**
 * Calendar arithmetic in a viewer's IANA time zone with nothing but Intl, so the same code runs on
 * the server and in the browser. Instants are milliseconds since the epoch.
 */
import { DomainError } from '../domain/errors';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Interval = 'day' | 'hour';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when the runtime knows this IANA zone name. */
export function isTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

export function assertTimeZone(tz: string): string {
  if (!isTimeZone(tz)) throw new DomainError('INVALID', `Unknown time zone "${tz}": use an IANA name such as Europe/Berlin`);
  return tz;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function localParts(ms: number, tz: string): LocalParts {
  const out: Record<string, string> = {};
  for (const p of formatterFor(tz).formatToParts(new Date(ms))) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: WEEKDAYS.indexOf(out.weekday ?? 'Mon'),
  };
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a local wall-clock time happens. Two passes settle the offset across a DST change; a
 * wall time that does not exist (skipped by a spring-forward) maps to the instant just after the gap.
 */
export function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, second: number, tz: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const first = wall - offsetAt(wall, tz);
  const settled = wall - offsetAt(first, tz);
  return Math.max(first, settled);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export function parseDate(text: string): CalendarDate | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

export function formatDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

export function addDays(d: CalendarDate, n: number): CalendarDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** Local midnight that starts a calendar date. */
export function startOfDate(d: CalendarDate, tz: string): number {
  return zonedToUtc(d.year, d.month, d.day, 0, 0, 0, tz);
}

/** The local calendar date an instant falls on. */
export function dateOf(ms: number, tz: string): CalendarDate {
  const p = localParts(ms, tz);
  return { year: p.year, month: p.month, day: p.day };
}

/** Days between two calendar dates (b − a). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

/**
 * The ends of the intervals of a range of whole local days [from, to], plus its start: n + 1 instants
 * for n intervals. Hours step by 60 real minutes from local midnight, so a DST day has 23 or 25.
 */
export function intervalBoundaries(from: CalendarDate, to: CalendarDate, interval: Interval, tz: string): number[] {
  const start = startOfDate(from, tz);
  const end = startOfDate(addDays(to, 1), tz);
  const out: number[] = [];
  if (interval === 'hour') {
    for (let t = start; t < end; t += HOUR_MS) out.push(t);
  } else {
    for (let d = from; daysBetween(d, to) >= 0; d = addDays(d, 1)) out.push(startOfDate(d, tz));
  }
  out.push(end);
  return out;
}

/** The Monday (local) of the week an instant falls in. */
export function weekOf(ms: number, tz: string): CalendarDate {
  const p = localParts(ms, tz);
  return addDays({ year: p.year, month: p.month, day: p.day }, -p.weekday);
}

/** `YYYY-MM-DD HH:mm` in the zone, seconds added when they are not zero; the date alone at midnight. */
export function formatLocalDateTime(ms: number, tz: string, dateOnlyAtMidnight = true): string {
  const p = localParts(ms, tz);
  const date = formatDate(p);
  if (dateOnlyAtMidnight && p.hour === 0 && p.minute === 0 && p.second === 0) return date;
  const hm = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  return p.second ? `${date} ${hm}:${String(p.second).padStart(2, '0')}` : `${date} ${hm}`;
}
