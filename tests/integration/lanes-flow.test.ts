import { describe, expect, it } from 'vitest';
import { createStore } from '../../db/store';
import type { FlowData } from '../../lib/shared/flow/data';
import type { FlowMetrics } from '../../lib/shared/flow/metrics';
import type { Cfd } from '../../lib/shared/flow/series';
import { foldEvent } from '../../lib/shared/flow/live';
import { expectOk, startTestServer } from './helpers';

const h = startTestServer();
const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('flow by lane and class of service', () => {
  it('expedite work has its own percentiles, throughput and CFD; the standard work’s are its own too', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }]);
    const now = Date.now();
    let t = now - 9 * DAY;
    const past = createStore(h.app.store.engine, { clock: () => t });
    const seed = { name: 'seed' };
    const { lane: expedite } = await past.addLane({ boardId: board.id, name: 'Expedite', classOfService: 'expedite', wipLimit: 5 }, seed);
    const walk = async (laneId: string | undefined, title: string, startDays: number, cycleDays: number) => {
      t = now - 9 * DAY + startDays * DAY;
      const { card } = await past.createCard({ boardId: board.id, columnId: board.col('Todo'), title, ...(laneId ? { laneId } : {}) }, seed);
      await past.moveCard({ cardId: card.id, toColumnId: board.col('Doing') }, seed);
      t += cycleDays * DAY;
      await past.moveCard({ cardId: card.id, toColumnId: board.col('Done') }, seed);
      return card;
    };
    for (let i = 0; i < 3; i++) await walk(undefined, `standard ${i}`, i * 0.1, 5);
    for (let i = 0; i < 2; i++) await walk(expedite.id, `urgent ${i}`, 6 + i * 0.1, 1);
    const q = (extra: string) => `from=${day(now - 10 * DAY)}&to=${day(now)}&tz=UTC${extra}`;

    const all = await h.api<FlowMetrics>('GET', `/api/boards/${board.id}/metrics?${q('')}`);
    const urgent = await h.api<FlowMetrics>('GET', `/api/boards/${board.id}/metrics?${q('&class=expedite')}`);
    const standard = await h.api<FlowMetrics>('GET', `/api/boards/${board.id}/metrics?${q('&class=standard')}`);
    const byLane = await h.api<FlowMetrics>('GET', `/api/boards/${board.id}/metrics?${q(`&lane=${expedite.id}`)}`);
    expect([all.status, urgent.status, standard.status, byLane.status]).toEqual([200, 200, 200, 200]);
    expect(all.body.finished).toHaveLength(5);
    expect(urgent.body.finished.map((f) => f.title).toSorted()).toEqual(['urgent 0', 'urgent 1']);
    expect(standard.body.finished).toHaveLength(3);
    expect(urgent.body.cycleTimePercentiles.p85).toBeCloseTo(1, 3);
    expect(standard.body.cycleTimePercentiles.p50).toBeCloseTo(5, 3);
    expect(all.body.cycleTimePercentiles.p85).toBeCloseTo(5, 3);
    expect(byLane.body.finished.map((f) => f.cardId).toSorted()).toEqual(urgent.body.finished.map((f) => f.cardId).toSorted());
    expect(urgent.body.range).toMatchObject({ class: 'expedite' });

    // The CFD of the expedite lane counts its two cards only.
    const cfd = await h.api<Cfd>('GET', `/api/boards/${board.id}/cfd?${q(`&lane=${expedite.id}`)}`);
    expect(cfd.body.points.at(-1)?.cumulative).toEqual({ [board.col('Todo')]: 2, [board.col('Doing')]: 2, [board.col('Done')]: 2 });
    const whole = await h.api<Cfd>('GET', `/api/boards/${board.id}/cfd?${q('')}`);
    expect(whole.body.points.at(-1)?.cumulative).toEqual({ [board.col('Todo')]: 5, [board.col('Doing')]: 5, [board.col('Done')]: 5 });

    // A filtered page folds its own lane's events and lets the others' pass, version and all.
    const data = (await h.api<FlowData>('GET', `/api/boards/${board.id}/flow?${q(`&lane=${expedite.id}`)}`)).body;
    expect(data.lanes.map((l) => l.name)).toEqual(['Expedite', 'Standard']);
    expect(data.filterCards).toHaveLength(2);
    const page = await h.connect('flow watcher');
    expectOk(await page.request('flow:join', { boardId: board.id }));
    const mine = (await h.app.store.createCard({ boardId: board.id, columnId: board.col('Todo'), laneId: expedite.id, title: 'mine' }, seed)).events[0];
    const theirs = (await h.app.store.createCard({ boardId: board.id, columnId: board.col('Todo'), title: 'theirs' }, seed)).events[0];
    if (!mine || !theirs) throw new Error('no events');
    const one = foldEvent(data, mine);
    if (one.kind !== 'applied') throw new Error('not applied');
    const two = foldEvent(one.data, theirs);
    if (two.kind !== 'applied') throw new Error('not applied');
    expect(two.data.version).toBe(theirs.version);
    expect(two.data.open.map((c) => c.title)).toEqual(['mine']);
    // Moving a card into the filtered lane asks for a fresh read.
    const moved = (await h.app.store.moveCard({ cardId: theirs.type === 'card_created' ? theirs.card.id : '', toColumnId: board.col('Todo'), toLaneId: expedite.id }, seed)).events[0];
    if (!moved) throw new Error('no event');
    expect(foldEvent(two.data, moved).kind).toBe('reload');
  });

  it('a bad filter is refused with INVALID', async () => {
    const board = await h.seedBoard([{ name: 'Todo' }, { name: 'Done' }]);
    const bad = await h.api<{ error: { code: string } }>('GET', `/api/boards/${board.id}/metrics?class=urgent`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID');
    const both = await h.api<{ error: { code: string } }>('GET', `/api/boards/${board.id}/cfd?class=expedite&lane=x`);
    expect(both.status).toBe(400);
  });
});
