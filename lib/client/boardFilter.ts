/**
 * The board's filters as plain data: read from and written to the page's search params (so a
 * filtered view is a link that can be shared and survives a reload), and the test a card must pass
 * to be shown. Counts and WIP indicators never use it: a work center's count is always its whole.
 */
import { CARD_TYPES, type CardDTO, type CardType } from '../shared/domain/types';

/** `person`: an account id, UNASSIGNED for cards with nobody on them, or null for anyone. */
export interface BoardFilter {
  q: string;
  person: string | null;
  type: CardType | null;
  blocked: boolean;
  aging: boolean;
  defects: boolean;
}

export const UNASSIGNED = 'none';

export const NO_FILTER: BoardFilter = { q: '', person: null, type: null, blocked: false, aging: false, defects: false };

/** Longest search text kept from a URL: longer than any title (LIMITS.cardTitle). */
const MAX_QUERY = 200;
const MAX_ID = 64;

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function read(params: Params, key: string): string | null {
  if (params instanceof URLSearchParams) return params.get(key);
  const value = params[key];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

const flag = (value: string | null) => value === '1' || value === 'true';

/** A filter from search params; anything unknown or malformed is ignored, never an error. */
export function parseFilter(params: Params): BoardFilter {
  const type = read(params, 'type');
  const person = read(params, 'person')?.trim() ?? '';
  return {
    q: (read(params, 'q') ?? '').slice(0, MAX_QUERY),
    person: person && person.length <= MAX_ID ? person : null,
    type: type && (CARD_TYPES as readonly string[]).includes(type) ? (type as CardType) : null,
    blocked: flag(read(params, 'blocked')),
    aging: flag(read(params, 'aging')),
    defects: flag(read(params, 'defects')),
  };
}

/** The filter's search params, in a fixed order, only those set. */
export function filterParams(filter: BoardFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.q.trim()) params.set('q', filter.q);
  if (filter.person) params.set('person', filter.person);
  if (filter.type) params.set('type', filter.type);
  if (filter.blocked) params.set('blocked', '1');
  if (filter.aging) params.set('aging', '1');
  if (filter.defects) params.set('defects', '1');
  return params;
}

/** `url` with the filter's params in place of any earlier ones (other params kept). */
export function urlWithFilter(url: string, filter: BoardFilter): string {
  const u = new URL(url);
  for (const key of ['q', 'person', 'type', 'blocked', 'aging', 'defects']) u.searchParams.delete(key);
  for (const [key, value] of filterParams(filter)) u.searchParams.set(key, value);
  return `${u.pathname}${u.search}${u.hash}`;
}

export function isFiltering(filter: BoardFilter): boolean {
  return filterParams(filter).size > 0;
}

/** Case- and accent-insensitive words: "cafe" finds "Café". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/**
 * The test a card must pass: every filter set must hold. The search matches titles, every word of
 * it somewhere in the title, or the card's key: "PAY-42" or "42" finds PAY-42 (the whole key or
 * number, so 42 does not find PAY-142). `isAging` says whether the card carries an aging mark (FlowMarks).
 */
export function cardMatcher(filter: BoardFilter, isAging: (card: CardDTO) => boolean, keyPrefix = ''): ((card: CardDTO) => boolean) | null {
  if (!isFiltering(filter)) return null;
  const words = fold(filter.q).split(/\s+/u).filter(Boolean);
  return (card) => {
    if (filter.person === UNASSIGNED ? card.assigneeIds.length > 0 : filter.person !== null && !card.assigneeIds.includes(filter.person)) return false;
    if (filter.type !== null && card.type !== filter.type) return false;
    if (filter.blocked && !card.blocked) return false;
    if (filter.defects && card.defectCount === 0) return false;
    if (filter.aging && !isAging(card)) return false;
    if (words.length > 0) {
      const title = fold(card.title);
      const number = String(card.number);
      const key = fold(`${keyPrefix}-${number}`);
      if (!words.every((w) => title.includes(w) || w === number || w === key || w === `#${number}`)) return false;
    }
    return true;
  };
}
