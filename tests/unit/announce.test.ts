import { describe, expect, it } from 'vitest';
import { AnnounceQueue, REMOTE_ANNOUNCE_MS, remoteChangeMessage } from '../../lib/client/announce';
import { board, card, event } from './client-fixtures';

const byAda = <T extends object>(e: T) => ({ ...e, actor: 'Ada', actorId: 'ada' });

describe('what is said when someone else changes the board', () => {
  it('a move names who, the card and where it went; one’s own move says nothing', () => {
    const b = board();
    const moved = byAda(event(6, { type: 'card_moved', cardId: 'c1', fromColumnId: 'design', toColumnId: 'develop', position: 'a2', backward: false }));
    const title = b.cards.find((c) => c.id === 'c1')?.title;
    const develop = b.columns.find((c) => c.id === 'develop')?.name;
    expect(remoteChangeMessage(moved, b, 'bob')).toBe(`Ada moved ${title} to ${develop}`);
    expect(remoteChangeMessage(moved, b, 'ada')).toBeNull();
  });

  it('a card sent back carries its reason; a new card is named with its work center', () => {
    const b = board();
    const back = byAda(event(6, { type: 'card_moved', cardId: 'c4', fromColumnId: 'test', toColumnId: 'develop', position: 'a2', backward: true, reason: 'Fails the load test' }));
    expect(remoteChangeMessage(back, b, 'bob')).toMatch(/^Ada sent .+ back to .+: Fails the load test$/);
    const added = byAda(event(6, { type: 'card_created', card: card('c9', 'design', 'a5') }));
    expect(remoteChangeMessage(added, b, 'bob')).toBe(`Ada added ${card('c9', 'design', 'a5').title} to ${b.columns.find((c) => c.id === 'design')?.name}`);
  });

  it('the app’s own changes (no account) are said too, as someone’s', () => {
    const moved = { ...event(6, { type: 'card_moved', cardId: 'c1', fromColumnId: 'design', toColumnId: 'develop', position: 'a2', backward: false }), actor: '', actorId: null };
    expect(remoteChangeMessage(moved, board(), 'bob')).toMatch(/^Someone moved /);
  });
});

describe('the announcements are throttled', () => {
  it('the first is said at once, the next ones wait for the interval and are said together', () => {
    const queue = new AnnounceQueue(REMOTE_ANNOUNCE_MS);
    expect(queue.add('Ada moved A to Test', 'Ada', 1_000)).toBe(1_000);
    expect(queue.take(1_000)).toBe('Ada moved A to Test.');
    const due = queue.add('Ada moved B to Test', 'Ada', 1_100);
    queue.add('Bob added C to Plan', 'Bob', 1_200);
    expect(due).toBe(1_000 + REMOTE_ANNOUNCE_MS);
    expect(queue.take(1_500)).toBeNull();
    expect(queue.take(due)).toBe('Ada moved B to Test. Bob added C to Plan.');
    expect(queue.take(due + REMOTE_ANNOUNCE_MS)).toBeNull();
  });

  it('a burst is summed up with who made it and the latest change', () => {
    const queue = new AnnounceQueue(REMOTE_ANNOUNCE_MS);
    queue.take(0);
    for (let i = 0; i < 5; i++) queue.add(`Ada moved card ${i} to Test`, i % 2 ? 'Bob' : 'Ada', 0);
    expect(queue.take(REMOTE_ANNOUNCE_MS)).toBe('5 changes by Ada and Bob. Latest: Ada moved card 4 to Test.');
  });
});
