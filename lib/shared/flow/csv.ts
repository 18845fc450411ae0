/**
 * Work-item history as CSV, in the layout flow-metrics tools share: an ID column, optional Link and
 * Name/Title, one column per work center in workflow order holding the date-time the item entered it
 * (empty when it has not got there), then optional attribute columns. Parsing, validation and
 * formatting are pure; db/import.ts writes a validated plan in one go. Every export is written by
 * toCsv, which neutralises text a spreadsheet would run as a formula; the import undoes that.
 */
import { CARD_STAGES, CARD_TYPES, type CardStage, type CardType } from '../domain/types';
import { LIMITS } from '../domain/limits';
import { DAY_MS, blockedDays } from '../domain/blocked';
import { formatLocalDateTime, parseDate, zonedToUtc } from './time';

/** Records read or checked between two yields of planImportAsync: a few milliseconds of work. */
const RECORDS_PER_STEP = 2000;

/** Largest CSV accepted: 100,000 items with a dozen columns fit in well under half of it. */
export const MAX_CSV_BYTES = 32 * 1024 * 1024;
export const MAX_IMPORT_ITEMS = 200_000;
/** Errors listed before "…and N more": enough to fix a file, not a wall of text. */
const MAX_ERRORS = 50;

/** Headers that mark the end of the work centers and the start of the attributes. */
export const KNOWN_ATTRIBUTES = [
  'type',
  'stage',
  'blocked days',
  'blocked',
  'class of service',
  'labels',
  'tags',
  'owner',
  'assignee',
  'assignees',
  'priority',
  'size',
  'estimate',
  'team',
  'epic',
  'parent',
  // The card's key on the board it was exported from (PAY-42): kept as an attribute, the new board numbers its own.
  'key',
];

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  cells: string[];
}

export interface CsvError {
  line: number;
  reason: string;
}

/** RFC 4180: commas, double quotes doubled inside quoted cells, CRLF or LF, newlines inside quotes. */
export function parseCsv(text: string): { records: CsvRecord[]; error: CsvError | null } {
  const steps = parseCsvSteps(text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** parseCsv, pausing (yield) every few thousand records so a caller can give the event loop a turn. */
function* parseCsvSteps(text: string): Generator<void, { records: CsvRecord[]; error: CsvError | null }> {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not part of the first header
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') {
      quoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
      if (records.length % RECORDS_PER_STEP === 0) yield;
    } else cell += ch;
  }
  if (quoted) return { records, error: { line: quoteLine, reason: 'A quoted cell is never closed (a " is missing)' } };
  if (cell !== '' || cells.length > 0) endRecord();
  return { records, error: null };
}

/**
 * A text cell a spreadsheet would run as a formula (or a DDE call) starts with one of = + - @, a tab
 * or a carriage return. Quotes in front count too: a cell that already begins with ' and a formula
 * character gets one more, so that reading takes exactly one off and every text comes back as it was.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;
/** What we write for a number (String(n), toFixed): a spreadsheet reads it as that number, not a formula. */
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

/** A text cell as written: formula-like text gets a leading ', which spreadsheets show as text. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** The text a cell of ours held: the ' that neutraliseFormula put in front comes off again. */
export function restoreFormula(cell: string): string {
  return cell.charCodeAt(0) === 39 && NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}

function quoteCell(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replaceAll('"', '""')}"` : v;
}

export type CsvValue = string | number | null | undefined;

/**
 * Every export goes through here. Strings are text and are neutralised; numbers are passed as
 * numbers (a negative one stays a number); null and undefined are empty cells.
 */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  const cell = (v: CsvValue) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : quoteCell(neutraliseFormula(v)));
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

const DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * `YYYY-MM-DD` or `YYYY-MM-DD HH:mm[:ss]` in `tz` → ms; null when it is not one of those. The
 * zone's answer is cached per local hour: a large file repeats the same hours many times, and asking
 * Intl for each of 700,000 dates took most of the import.
 */
export function parseDateTime(text: string, tz: string, cache = new Map<string, number>()): number | null {
  const m = DATE_TIME_RE.exec(text.trim());
  if (!m) return null;
  const date = parseDate(m[1] ?? '');
  const [h, mi, s] = [Number(m[2] ?? 0), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  if (!date || h > 23 || mi > 59 || s > 59) return null;
  const key = `${m[1]} ${h}`;
  let hourStart = cache.get(key);
  if (hourStart === undefined) {
    hourStart = zonedToUtc(date.year, date.month, date.day, h, 0, 0, tz);
    cache.set(key, hourStart);
  }
  return hourStart + (mi * 60 + s) * 1000;
}

export interface ImportItem {
  line: number;
  externalId: string;
  link: string | null;
  title: string;
  type: CardType;
  /** Entry time per work center (same order as the plan's workCenters); null where it has not been. */
  dates: (number | null)[];
  attributes: Record<string, string>;
  /** From the `Blocked Days` column: the item's blocked time, ms (0 when empty or absent). */
  blockedMs: number;
  /** From the `Stage` column: its half of its work center, which the import splits (doing when empty or absent). */
  stage: CardStage;
}

/** The column that carries a card's blocked time in days, on export and on import. */
export const BLOCKED_DAYS = 'Blocked Days';
const isBlockedDays = (header: string) => header.trim().toLowerCase() === BLOCKED_DAYS.toLowerCase();
/** The column that carries a card's half of a split work center (lib/shared/domain/split.ts). */
export const STAGE = 'Stage';
const isStage = (header: string) => header.trim().toLowerCase() === STAGE.toLowerCase();
/** Longest blocked time an item may bring: ten years, far past any real card. */
const MAX_BLOCKED_DAYS = 3660;

export interface ImportPlan {
  workCenters: string[];
  hasLink: boolean;
  nameHeader: string | null;
  attributeHeaders: string[];
  items: ImportItem[];
  /** Earliest date in the file: the board and its work centers are dated then. */
  earliest: number;
}

export type PlanResult = { ok: true; plan: ImportPlan } | { ok: false; errors: CsvError[] };

export interface PlanOptions {
  tz: string;
  /** Extra headers to treat as attributes rather than work centers. */
  attributes?: readonly string[];
  now?: number;
}


/** Reads and checks a whole file. Any error means nothing is imported; errors carry line and reason. */
export function planImport(text: string, options: PlanOptions): PlanResult {
  const steps = planSteps(text, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The same, giving the event loop a turn every few thousand records: a 100,000-row file blocks nothing. */
export async function planImportAsync(text: string, options: PlanOptions): Promise<PlanResult> {
  const steps = planSteps(text, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function* planSteps(text: string, options: PlanOptions): Generator<void, PlanResult> {
  const fail = (errors: CsvError[]): PlanResult => ({ ok: false, errors });
  if (text.length > MAX_CSV_BYTES) return fail([{ line: 0, reason: `The file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB` }]);
  const { records, error } = yield* parseCsvSteps(text);
  if (error) return fail([error]);
  const header = records[0];
  if (!header) return fail([{ line: 1, reason: 'The file is empty' }]);
  const names = header.cells.map((c) => restoreFormula(c).trim());
  if (!/\bid\b/i.test(names[0] ?? '')) {
    return fail([{ line: header.line, reason: `The first column must be the item ID (its header must contain "ID"); it is "${names[0] ?? ''}"` }]);
  }
  let col = 1;
  let linkCol = -1;
  let nameCol = -1;
  while (col < names.length) {
    const h = (names[col] ?? '').toLowerCase();
    if (h === 'link' && linkCol < 0) linkCol = col++;
    else if ((h === 'name' || h === 'title') && nameCol < 0) nameCol = col++;
    else break;
  }
  const extra = new Set((options.attributes ?? []).map((a) => a.trim().toLowerCase()));
  const firstWc = col;
  while (col < names.length && !KNOWN_ATTRIBUTES.includes((names[col] ?? '').toLowerCase()) && !extra.has((names[col] ?? '').toLowerCase())) col++;
  const workCenters = names.slice(firstWc, col);
  const attributeHeaders = names.slice(col);
  const headerErrors: CsvError[] = [];
  if (workCenters.length === 0) headerErrors.push({ line: header.line, reason: 'No work center columns after ID, Link and Name' });
  if (workCenters.length > LIMITS.columnsPerBoard) headerErrors.push({ line: header.line, reason: `At most ${LIMITS.columnsPerBoard} work centers` });
  workCenters.forEach((w, i) => {
    if (!w) headerErrors.push({ line: header.line, reason: `Work center column ${i + 1} has no name` });
    else if (w.length > LIMITS.columnName) headerErrors.push({ line: header.line, reason: `Work center "${w}" is longer than ${LIMITS.columnName} characters` });
    else if (workCenters.indexOf(w) !== i) headerErrors.push({ line: header.line, reason: `Work center "${w}" appears twice` });
  });
  if (headerErrors.length) return fail(headerErrors);
  if (records.length - 1 > MAX_IMPORT_ITEMS) return fail([{ line: 0, reason: `At most ${MAX_IMPORT_ITEMS.toLocaleString('en')} items per import` }]);

  const now = options.now ?? Date.now();
  const errors: CsvError[] = [];
  let more = 0;
  const report = (line: number, reason: string) => (errors.length < MAX_ERRORS ? errors.push({ line, reason }) : more++);
  const seen = new Map<string, number>();
  const hours = new Map<string, number>();
  const items: ImportItem[] = [];
  let earliest = Infinity;
  for (let r = 1; r < records.length; r++) {
    if (r % RECORDS_PER_STEP === 0) yield;
    const { line, cells: written } = records[r] as CsvRecord;
    const cells = written.map(restoreFormula);
    if (cells.length !== names.length) {
      report(line, `Has ${cells.length} fields; the header has ${names.length}`);
      continue;
    }
    const externalId = (cells[0] ?? '').trim();
    if (!externalId) {
      report(line, 'The ID is empty');
      continue;
    }
    const first = seen.get(externalId);
    if (first !== undefined) {
      report(line, `Duplicate ID "${externalId}" (first on line ${first})`);
      continue;
    }
    seen.set(externalId, line);
    const title = nameCol >= 0 ? (cells[nameCol] ?? '').trim() || externalId : externalId;
    if (title.length > LIMITS.cardTitle) {
      report(line, `The name is longer than ${LIMITS.cardTitle} characters`);
      continue;
    }
    const dates: (number | null)[] = [];
    let bad = false;
    let last: { at: number; wc: string; text: string } | null = null;
    workCenters.forEach((wc, i) => {
      const raw = (cells[firstWc + i] ?? '').trim();
      if (!raw) return dates.push(null);
      const at = parseDateTime(raw, options.tz, hours);
      if (at === null) {
        bad = true;
        report(line, `"${raw}" under "${wc}" is not a date (use YYYY-MM-DD or YYYY-MM-DD HH:mm[:ss])`);
        return dates.push(null);
      }
      if (at > now) {
        bad = true;
        report(line, `"${raw}" under "${wc}" is in the future`);
      }
      if (last && at < last.at) {
        bad = true;
        report(line, `Dates go backward in the workflow: "${wc}" (${raw}) is before "${last.wc}" (${last.text})`);
      }
      last = { at, wc, text: raw };
      return dates.push(at);
    });
    if (bad) continue;
    const firstDate = dates.find((d) => d !== null);
    if (firstDate === undefined || firstDate === null) {
      report(line, 'Has no date under any work center');
      continue;
    }
    earliest = Math.min(earliest, firstDate);
    const attributes: Record<string, string> = {};
    let blockedMs = 0;
    let badBlocked = false;
    let stage: CardStage = 'doing';
    attributeHeaders.forEach((h, i) => {
      const cell = cells[col + i] ?? '';
      if (isStage(h)) {
        const stageText = cell.trim().toLowerCase();
        if (stageText === '') return;
        if (!(CARD_STAGES as readonly string[]).includes(stageText)) {
          badBlocked = true;
          return report(line, `"${cell.trim()}" under "${h}" is not a stage: write doing or done, or leave it empty`);
        }
        stage = stageText as CardStage;
        // A card waits in a done half only where one can be: not in the first or last work center.
        const at = dates.findLastIndex((d) => d !== null);
        if (stage === 'done' && (at <= 0 || at === workCenters.length - 1)) {
          badBlocked = true;
          return report(line, `"${cell.trim()}" under "${h}": the item is in ${workCenters[at] ?? ''}, the ${at <= 0 ? 'first' : 'last'} work center, which cannot be split into doing and done`);
        }
        return;
      }
      if (!isBlockedDays(h)) return (attributes[h] = cell);
      const daysText = cell.trim();
      const days = Number(daysText);
      if (daysText !== '' && (!/^\d+(?:\.\d+)?$/.test(daysText) || days > MAX_BLOCKED_DAYS)) {
        badBlocked = true;
        return report(line, `"${daysText}" under "${h}" is not a number of days from 0 to ${MAX_BLOCKED_DAYS}`);
      }
      blockedMs = Math.round(days * DAY_MS);
    });
    if (badBlocked) continue;
    const typeText = (attributes.Type ?? attributes.type ?? '').trim().toLowerCase();
    const type = (CARD_TYPES as readonly string[]).includes(typeText) ? (typeText as CardType) : 'feature';
    const link = linkCol >= 0 ? (cells[linkCol] ?? '').trim() || null : null;
    items.push({ line, externalId, link, title, type, dates, attributes, blockedMs, stage });
  }
  if (more) errors.push({ line: 0, reason: `…and ${more} more errors` });
  if (errors.length) return fail(errors);
  if (items.length === 0) return fail([{ line: header.line, reason: 'The file has a header but no items' }]);
  return {
    ok: true,
    plan: {
      workCenters,
      hasLink: linkCol >= 0,
      nameHeader: nameCol >= 0 ? (names[nameCol] ?? 'Name') : null,
      // Blocked days are the card's own (blockedMs), not a kept attribute: export writes them fresh.
      attributeHeaders: attributeHeaders.filter((h) => !isBlockedDays(h) && !isStage(h)),
      items,
      earliest,
    },
  };
}

/** The column the export writes a card's assignees in (names, `; ` between them). */
export const ASSIGNEES = 'Assignees';
/** Columns an import reads people from: several names in a cell, separated by `;` or `,`. */
const PEOPLE_HEADERS = ['owner', 'assignee', 'assignees'];

/** The people an item names in its Owner, Assignee or Assignees columns, each once, in order. */
export function peopleNamesOf(attributes: Readonly<Record<string, string>>): string[] {
  const names: string[] = [];
  for (const [header, cell] of Object.entries(attributes)) {
    if (!PEOPLE_HEADERS.includes(header.trim().toLowerCase())) continue;
    for (const part of cell.split(/[;,]/u)) {
      const name = part.trim();
      if (name && !names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
    }
  }
  return names;
}

export interface ExportItem {
  externalId: string;
  link: string | null;
  title: string;
  /** First entry per work center, in the export's column order. */
  entered: (number | null)[];
  attributes: Record<string, string>;
  /** Blocked time up to the export, ms: written as Blocked Days. */
  blockedMs: number;
  /** The names of the card's assignees: written as Assignees. */
  assignees?: readonly string[];
  /** Its half of a split work center: written as Stage (doing when absent). */
  stage?: CardStage;
  /** The card's key on its board (PAY-42): written as Key. */
  key?: string;
}

export const KEY = 'Key';

/** The same layout back: ID, Link (when any), Name, work centers, attributes, Assignees, Key, Blocked Days, Stage. */
export function formatItemsCsv(workCenters: readonly string[], attributeHeaders: readonly string[], items: readonly ExportItem[], tz: string, withLink: boolean): string {
  // Assignees and the key are the card's own (written fresh), as Blocked Days and Stage are.
  const fresh = new Set([ASSIGNEES.toLowerCase(), KEY.toLowerCase()]);
  const kept = attributeHeaders.filter((h) => !isBlockedDays(h) && !isStage(h) && !fresh.has(h.trim().toLowerCase()));
  const header = ['ID', ...(withLink ? ['Link'] : []), 'Name', ...workCenters, ...kept, ASSIGNEES, KEY, BLOCKED_DAYS, STAGE];
  const rows = items.map((it) => [
    it.externalId,
    ...(withLink ? [it.link ?? ''] : []),
    it.title,
    ...it.entered.map((t) => (t === null ? '' : formatLocalDateTime(t, tz))),
    ...kept.map((h) => it.attributes[h] ?? ''),
    (it.assignees ?? []).join('; '),
    it.key ?? '',
    blockedDays(it.blockedMs),
    it.stage ?? 'doing',
  ]);
  return toCsv([header, ...rows]);
}
