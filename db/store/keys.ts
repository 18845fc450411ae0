/**
 * Card keys as card ids (lib/shared/domain/keys.ts): every place that takes a card id takes `PAY-42`
 * too, resolved here, once, into the id the rest of the server works with.
 */
import { DomainError } from '../../lib/shared/domain/errors';
import { isCardKey, keyPrefixOf, parseCardKey } from '../../lib/shared/domain/keys';
import type { Sql } from '../engine';

/** Where a key is looked for: one board (a hook's, a move's), or every board an account is a member of. */
export type KeyScope = { boardId: string } | { userId: string };

/**
 * The id of the live card a key names in `scope`; anything that is no key comes back as it is (an
 * id). Prefixes are per board and may repeat across boards: a key that names cards on two of the
 * account's boards is refused (use the id), one that names none is NOT_FOUND, like an unknown id.
 */
export async function cardIdOf(sql: Sql, ref: string, scope: KeyScope): Promise<string> {
  const key = parseCardKey(ref);
  if (!key) return ref;
  // Each board has at most one card of a number: the candidates are one per board in scope.
  const rows =
    'boardId' in scope
      ? await sql.all<{ id: string; name: string; keyPrefix: string | null }>(
          'select c.id, b.name, b.key_prefix as "keyPrefix" from cards c join boards b on b.id = c.board_id where c.board_id = ? and c.number = ? and c.deleted_at is null',
          [scope.boardId, key.number],
        )
      : await sql.all<{ id: string; name: string; keyPrefix: string | null }>(
          `select c.id, b.name, b.key_prefix as "keyPrefix" from cards c join boards b on b.id = c.board_id
           join board_members m on m.board_id = c.board_id and m.user_id = ? where c.number = ? and c.deleted_at is null`,
          [scope.userId, key.number],
        );
  const matches = rows.filter((r) => keyPrefixOf({ name: r.name, keyPrefix: r.keyPrefix ?? undefined }) === key.prefix);
  if (matches.length === 0) throw new DomainError('NOT_FOUND', `No card ${key.prefix}-${key.number}`);
  if (matches.length > 1) throw new DomainError('INVALID', `${key.prefix}-${key.number} names cards on several of your boards: use the card's id`);
  return (matches[0] as { id: string }).id;
}

/** Whether a request names a card by key (its cardId or beforeCardId): only then is there anything to look up. */
export function namesCardKey(payload: unknown): payload is Record<string, unknown> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  const { cardId, beforeCardId } = payload as Record<string, unknown>;
  return (typeof cardId === 'string' && isCardKey(cardId)) || (typeof beforeCardId === 'string' && isCardKey(beforeCardId));
}

/** The card fields of a request (cardId, beforeCardId) with any key in them made an id. */
export async function withCardIds(sql: Sql, payload: unknown, scope: KeyScope): Promise<unknown> {
  if (!namesCardKey(payload)) return payload;
  const fields = payload;
  const cardId = fields.cardId;
  const before = fields.beforeCardId;
  const out = { ...fields };
  if (typeof cardId === 'string') out.cardId = await cardIdOf(sql, cardId, scope);
  // The card to place before is on the same board as the card moved (or the one created on).
  if (typeof before === 'string' && isCardKey(before)) {
    const boardId =
      typeof fields.boardId === 'string'
        ? fields.boardId
        : typeof out.cardId === 'string'
          ? (await sql.get<{ b: string }>('select board_id as b from cards where id = ?', [out.cardId]))?.b
          : undefined;
    out.beforeCardId = await cardIdOf(sql, before, boardId ? { boardId } : scope);
  }
  return out;
}
