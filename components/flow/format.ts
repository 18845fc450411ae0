/** Display helpers for the flow page: dates in the viewer's zone, numbers with sensible precision. */
const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(tz: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tz}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, ...options });
    cache.set(key, f);
  }
  return f;
}

export const formatDay = (ms: number, tz: string) => fmt(tz, { day: 'numeric', month: 'short' }).format(ms);
export const formatHour = (ms: number, tz: string) => fmt(tz, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
export const formatDateLong = (ms: number, tz: string) => fmt(tz, { day: 'numeric', month: 'short', year: 'numeric' }).format(ms);

/** `2025-03-10` → `10 Mar` without time-zone games (it is already a local date). */
export function formatIsoDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined || !Number.isFinite(days)) return '–';
  if (days < 1) return `${(days * 24).toFixed(days * 24 < 10 ? 1 : 0)} h`;
  return `${days.toFixed(days < 10 ? 1 : 0)} d`;
}

export function formatNumber(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return v.toFixed(Math.abs(v) >= 100 ? 0 : digits);
}

export const formatPercent = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : `${Math.round(v * 100)}%`);

/**
 * Band colours of the CFD. Neighbouring bands alternate dark and light, so they differ in lightness,
 * which every kind of colour vision keeps (contrast between neighbours at least 2.3:1; their CIELAB
 * distance at least 31 under simulated protanopia, deuteranopia and tritanopia, where the old hue
 * wheel fell to 2). Hues from the Okabe-Ito set. The first work center (the backlog) light grey, the
 * last (done) green, dark or light opposite its neighbour.
 */
const DARK_BANDS = ['#0072B2', '#7B3294', '#8C510A'] as const;
const LIGHT_BANDS = ['#E69F00', '#56B4E9', '#F0E442', '#F4A6C9'] as const;
const BACKLOG_BAND = '#C0C7D0';
const DONE_BANDS = { dark: '#1B7837', light: '#A6DBA0' } as const;

export function bandColor(index: number, count: number): string {
  if (index === 0 && count > 2) return BACKLOG_BAND;
  // The band before the last is dark when its index is odd (1, 3, …): the last is then light.
  if (index === count - 1) return count > 2 && (count - 2) % 2 === 1 ? DONE_BANDS.light : DONE_BANDS.dark;
  return index % 2 === 1 ? (DARK_BANDS[((index - 1) / 2) % DARK_BANDS.length] ?? '#0072B2') : (LIGHT_BANDS[(index / 2 - 1) % LIGHT_BANDS.length] ?? '#E69F00');
}

export const PERCENTILE_COLORS = { p50: 'var(--color-sky-600)', p85: 'var(--color-amber-600)', p95: 'var(--color-red-600)' } as const;

/** The same, dark enough for text on a panel (AA in both themes). */
export const PERCENTILE_TEXT_COLORS = { p50: 'var(--color-sky-700)', p85: 'var(--color-amber-700)', p95: 'var(--color-red-700)' } as const;
