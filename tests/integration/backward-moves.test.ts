import { describe, expect, it } from 'vitest';
import type { CardHistoryEntry } from '../../lib/shared/domain/types';
import { canonical, expectFailure, expectOk, fold, startTestServer, dbGet } from './helpers';

const h = startTestServer();

const REASON_MESSAGE = 'Moving a card backward passes a defect downstream: give the reason it is going back';

async function seedFlow() {
  const board = await h.seedBoard([{ name: 'Develop', wipLimit: 2 }, { name: 'Test', wipLimit: 3 }, { name: 'Deploy' }]);
  const [card] = await board.addCards('Test', 1, 'checkout');
  if (!card) throw new Error('seed failed');
  return { board, card };
}

describe('backward moves', () => {
  it('a backward move without a reason is refused with REASON_REQUIRED on the socket and changes nothing', async () => {
    const { board, card } = await seedFlow();
    const [ada, bob] = await h.connectMany(2, 'tester');
    if (!ada || !bob) throw new Error('connect failed');
    await bob.join(board.id);
    const before = await h.app.store.getSnapshot(board.id);

    for (const reason of [undefined, '', '   \n\t']) {
      const payload = reason === undefined ? { cardId: card.id, toColumnId: board.col('Develop') } : { cardId: card.id, toColumnId: board.col('Develop'), reason };
      const failure = expectFailure(await ada.request('card:move', payload), 'REASON_REQUIRED');
      expect(failure.message).toBe(REASON_MESSAGE);
    }
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);
    expect((await dbGet(h.app, 'select count(*) as n from backward_moves where board_id = ?', [board.id]))).toEqual({ n: 0 });
    await bob.roundTrip();
    expect(bob.events.items).toEqual([]);
  });

  it('a backward move without a reason is refused with 422 REASON_REQUIRED over REST and changes nothing', async () => {
    const { board, card } = await seedFlow();
    const before = await h.app.store.getSnapshot(board.id);
    const res = await h.api('POST', `/api/cards/${card.id}/move`, { body: { toColumnId: board.col('Develop') } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: { code: 'REASON_REQUIRED', message: REASON_MESSAGE } });
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);
  });

  it('a backward move with a reason is flagged as a defect: event, defect count, defects returned and history', async () => {
    const { board, card } = await seedFlow();
    const [ada, bob] = await h.connectMany(2, 'tester');
    if (!ada || !bob) throw new Error('connect failed');
    const bobStart = await bob.joinSnapshot(board.id);
    await ada.join(board.id);

    const ack = expectOk(
      await ada.request('card:move', { cardId: card.id, toColumnId: board.col('Develop'), reason: '  Fails the load test  ', clientMutationId: 'back-1' }),
    );
    expect(ack.card).toMatchObject({ columnId: board.col('Develop'), defectCount: 1 });

    const event = await bob.events.find('the backward card_moved', (e) => e.type === 'card_moved');
    expect(event).toMatchObject({
      type: 'card_moved',
      version: ack.version,
      cardId: card.id,
      fromColumnId: board.col('Test'),
      toColumnId: board.col('Develop'),
      backward: true,
      reason: 'Fails the load test',
      detectedAtColumnId: board.col('Test'),
      returnedToColumnId: board.col('Develop'),
      actor: ada.name,
      clientMutationId: 'back-1',
    });

    const server = await h.app.store.getSnapshot(board.id);
    expect(server.cards.find((c) => c.id === card.id)?.defectCount).toBe(1);
    expect(server.columns.map((c) => [c.name, c.defectsReturned])).toEqual([
      ['Develop', 1],
      ['Test', 0],
      ['Deploy', 0],
    ]);
    // A client folding the event ends where the server is, defect counters included.
    expect(canonical(fold(bobStart, [event]))).toStrictEqual(server);

    const expected: Partial<CardHistoryEntry> = {
      version: ack.version,
      type: 'card_moved',
      actor: ada.name,
      fromColumnId: board.col('Test'),
      toColumnId: board.col('Develop'),
      backward: true,
      reason: 'Fails the load test',
    };
    const viaSocket = await bob.request('card:history', { cardId: card.id });
    if (!viaSocket.ok) throw new Error(viaSocket.message);
    expect(viaSocket.history.map((e) => e.type)).toEqual(['card_created', 'card_moved']);
    expect(viaSocket.history[1]).toMatchObject(expected);

    const viaRest = await h.api<{ history: CardHistoryEntry[] }>('GET', `/api/cards/${card.id}/history`);
    expect(viaRest.status).toBe(200);
    expect(viaRest.body.history).toStrictEqual(viaSocket.history);
  });

  it('a backward move over REST records the API token owner as the actor', async () => {
    const { board, card } = await seedFlow();
    const watcher = await h.connect('watcher');
    await watcher.join(board.id);
    const pipeline = await h.user('release-pipeline');
    const res = await h.api('POST', `/api/cards/${card.id}/move`, {
      body: { toColumnId: board.col('Develop'), reason: 'Smoke test failed' },
      as: pipeline,
    });
    expect(res.status).toBe(200);
    const event = await watcher.events.find('card_moved', (e) => e.type === 'card_moved');
    expect(event).toMatchObject({ backward: true, actor: 'release-pipeline', reason: 'Smoke test failed', detectedAtColumnId: board.col('Test') });
    const row = (await dbGet(h.app, 'select actor, reason, detected_at_column_id as detected from backward_moves where card_id = ?', [card.id]));
    expect(row).toEqual({ actor: 'release-pipeline', reason: 'Smoke test failed', detected: board.col('Test') });
  });

  it('a backward move obeys the WIP limit of the column it enters', async () => {
    const { board, card } = await seedFlow();
    await board.addCards('Develop', 2);
    const client = await h.connect('tester');
    const before = await h.app.store.getSnapshot(board.id);
    const ack = await client.request('card:move', { cardId: card.id, toColumnId: board.col('Develop'), reason: 'Fails the load test' });
    expect(expectFailure(ack, 'WIP_LIMIT').message).toBe('Develop is at its WIP limit (2 of 2): finish or move a card out first');
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);
  });

  it('a forward move needs no reason and is not a defect', async () => {
    const { board, card } = await seedFlow();
    const client = await h.connect('tester');
    const ack = expectOk(await client.request('card:move', { cardId: card.id, toColumnId: board.col('Deploy') }));
    expect(ack.card.defectCount).toBe(0);
    expect((await h.app.store.getSnapshot(board.id)).columns.every((c) => c.defectsReturned === 0)).toBe(true);
  });
});
