/**
 * People on cards: who may be assigned (the board's members), the per-person WIP limit, and the
 * board's people as a join sends them. Every check here runs inside the write's transaction, after
 * the board's lock (db/store/tx.ts boardWrite), so two writes cannot both take a person's last place.
 *
 * A card keeps its assignees as a JSON array of account ids (cards.assignee_ids). Someone removed
 * from the board stays assigned to the cards they held (the log says so and nobody's work vanishes);
 * the board's people name them as a former member, and they cannot be newly assigned.
 */
import { DomainError } from '../../lib/shared/domain/errors';
import { inProgress } from '../../lib/shared/domain/lanes';
import { personWipLimitMessage } from '../../lib/shared/domain/people';
import type { PersonDTO } from '../../lib/shared/domain/types';
import type { Sql, WriteTx } from '../engine';
import { assigneesOf, type CardRow, type ColumnRow } from './rows';
import { columnCountOf } from './tx';

type Reader = Pick<Sql, 'get' | 'all'>;

/** What a person is called on this board: their display name, or a placeholder for a deleted account. */
async function namesOf(sql: Reader, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of ids) {
    const user = await sql.get<{ name: string }>('select name from users where id = ?', [id]);
    if (user) names.set(id, user.name);
  }
  return names;
}

/**
 * The assignees a write may set on a card that had `current`: everyone newly named must be a member
 * of the board (those already on the card may stay, former members included).
 */
export async function assertAssignable(tx: WriteTx, boardId: string, next: readonly string[], current: readonly string[] = []): Promise<void> {
  const added = next.filter((id) => !current.includes(id));
  for (const id of added) {
    const member = await tx.get('select 1 as ok from board_members where board_id = ? and user_id = ?', [boardId, id]);
    if (member) continue;
    const name = (await namesOf(tx, [id])).get(id);
    throw new DomainError(
      'INVALID',
      name ? `Only board members can be assigned: ${name} is not a member of this board` : `Only board members can be assigned: no member of this board has the id ${id}`,
    );
  }
}

/**
 * Refuses when one of `people` already holds the board's per-person limit of cards in progress,
 * not counting `cardId` itself. A person over the limit (it was lowered) takes nothing more until
 * they are under it.
 */
export async function assertPeopleRoom(tx: WriteTx, boardId: string, people: readonly string[], cardId: string | null): Promise<void> {
  if (people.length === 0) return;
  const board = await tx.get<{ limit: number | null }>('select person_wip_limit as "limit" from boards where id = ?', [boardId]);
  const limit = board?.limit ?? null;
  if (limit === null) return;
  const columns = await tx.all<{ id: string; ord: number }>('select id, ord from columns where board_id = ? and removed_at is null order by ord', [boardId]);
  const middle = columns.slice(1, -1).map((c) => c.id);
  if (middle.length === 0) return;
  for (const person of people) {
    const held = await heldInProgress(tx, boardId, middle, person, cardId);
    if (held >= limit) {
      const name = (await namesOf(tx, [person])).get(person) ?? 'A former member';
      throw new DomainError('WIP_LIMIT', personWipLimitMessage(name, held, limit));
    }
  }
}

/** How many live cards in the work centers `middle` (those in progress) name `person`, `cardId` left out. */
export async function heldInProgress(tx: Pick<Sql, 'all'>, boardId: string, middle: readonly string[], person: string, cardId: string | null): Promise<number> {
  if (middle.length === 0) return 0;
  // The LIKE narrows to cards whose JSON names the id (its wildcards taken as any one character);
  // the exact test is the parse below.
  const rows = await tx.all<{ id: string; assigneeIds: string }>(
    `select id, assignee_ids as "assigneeIds" from cards where board_id = ? and deleted_at is null and column_id in (${middle.map(() => '?').join(', ')}) and assignee_ids like ?`,
    [boardId, ...middle, `%${JSON.stringify(person).replace(/[%_]/g, '_')}%`],
  );
  return rows.filter((r) => r.id !== cardId && assigneesOf(r.assigneeIds).includes(person)).length;
}

/** Display names of accounts (a placeholder for a deleted one), for refusal messages. */
export async function personNames(sql: Reader, ids: readonly string[]): Promise<Map<string, string>> {
  return namesOf(sql, ids);
}

/** The checks of an assignment change on a card: members only, and room for those newly named when the card is in progress. */
export async function checkAssignees(tx: WriteTx, boardId: string, card: Pick<CardRow, 'id' | 'columnId'>, next: readonly string[], current: readonly string[]): Promise<void> {
  await assertAssignable(tx, boardId, next, current);
  const added = next.filter((id) => !current.includes(id));
  if (added.length === 0) return;
  const column = await tx.get<{ ord: number }>('select ord from columns where id = ?', [card.columnId]);
  // In progress: any work center but the first and the last (the same rule as a lane's limit).
  if (column && inProgress(column.ord, await columnCountOf(tx, boardId))) await assertPeopleRoom(tx, boardId, added, card.id);
}

/** A move that brings a card into progress (from the first or last work center into the middle) needs room for each of its people. */
export async function checkPeopleOnMove(
  tx: WriteTx,
  boardId: string,
  card: Pick<CardRow, 'id' | 'assigneeIds'>,
  source: Pick<ColumnRow, 'ord'>,
  target: Pick<ColumnRow, 'ord'>,
  columnCount: number,
): Promise<void> {
  const people = assigneesOf(card.assigneeIds);
  if (people.length === 0 || source.ord === target.ord) return;
  if (!inProgress(target.ord, columnCount) || inProgress(source.ord, columnCount)) return;
  await assertPeopleRoom(tx, boardId, people, card.id);
}

/** The board's people: its members by name, then anyone still assigned to one of its live cards who no longer is. */
export async function peopleOf(sql: Reader, boardId: string): Promise<PersonDTO[]> {
  const members = await sql.all<{ id: string; name: string }>(
    'select u.id as id, u.name as name from board_members m join users u on u.id = m.user_id where m.board_id = ? order by u.name, u.id',
    [boardId],
  );
  const people: PersonDTO[] = members.map((m) => ({ id: m.id, name: m.name, member: true }));
  const known = new Set(people.map((p) => p.id));
  const assigned = await sql.all<{ ids: string }>("select distinct assignee_ids as ids from cards where board_id = ? and deleted_at is null and assignee_ids <> '[]'", [boardId]);
  const former = [...new Set(assigned.flatMap((r) => assigneesOf(r.ids)))].filter((id) => !known.has(id));
  const names = await namesOf(sql, former);
  for (const id of former) people.push({ id, name: names.get(id) ?? 'Former member', member: false });
  return people;
}

/** The board's per-person WIP limit, for a snapshot (absent when none). */
export async function personWipLimitOf(sql: Reader, boardId: string): Promise<number | null> {
  const row = await sql.get<{ limit: number | null }>('select person_wip_limit as "limit" from boards where id = ?', [boardId]);
  return row?.limit ?? null;
}
