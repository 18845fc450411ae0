/**
 * The forecast endpoints through the real server, on a board whose history is written through the
 * store with its clock moved day by day: eight weeks from Monday 2026-01-05, two items finished each
 * weekday for four weeks, then one each weekday for four weeks, nothing on weekends. Every number
 * below follows by hand from that history (docs/metrics.md "Forecasts").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { BacktestOutcome, LevelKey } from '../../lib/shared/flow/forecast';
import type { FlowData } from '../../lib/shared/flow/data';
import { expectOk, startTestServer, type SeededBoard } from './helpers';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const FIRST = Date.UTC(2026, 0, 5); // a Monday
let now = FIRST;
const h = startTestServer({ clock: () => now });
const actor = { name: 'history' };

interface WhenAnswer {
  percentiles: Record<LevelKey, string | null>;
  histogram: { date: string; trials: number }[];
  never: number;
  sample: { days: number; finished: number; from: string; to: string };
  warnings: { code: string; message: string }[];
  items: number;
  itemsDefault: boolean;
  trials: number;
  seed: number;
  start: string;
  calendar: { weekdays: number[]; holidays: string[] } | null;
  backtest: { weeksAgo: number; madeOn: string; items: number; percentiles: Record<LevelKey, string | null>; actual: string | null; outcome: Record<LevelKey, BacktestOutcome> }[];
}
interface HowManyAnswer {
  percentiles: Record<LevelKey, number>;
  histogram: { items: number; trials: number }[];
  workingDays: number;
  sample: WhenAnswer['sample'];
  warnings: WhenAnswer['warnings'];
  backtest: { weeksAgo: number; madeOn: string; until: string; percentiles: Record<LevelKey, number>; actual: number; outcome: Record<LevelKey, BacktestOutcome> }[];
}
interface CardAnswer {
  cardId: string;
  startedAt: string | null;
  percentiles: Record<LevelKey, string | null>;
  sample: { finished: number; peers: number };
  warnings: { code: string }[];
}

const all = (value: unknown) => ({ '50': value, '70': value, '85': value, '95': value });
let board: SeededBoard;
/** A card moved to Doing at 09:00 of the last day, still open. */
let started = '';
let expedite = '';
const TO = '2026-03-01'; // the last day of the history, a Sunday

beforeAll(async () => {
  board = await h.seedBoard([{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }], 'Forecast history');
  const { store } = h.app;
  // The second item of each day of the first four weeks goes through an expedite lane.
  expedite = (await store.addLane({ boardId: board.id, name: 'Expedite', classOfService: 'expedite' }, actor)).lane.id;
  for (let day = 0; day < 56; day++) {
    const weekday = day % 7;
    const perDay = weekday >= 5 ? 0 : day < 28 ? 2 : 1;
    for (let i = 0; i < perDay; i++) {
      // Each item: created at 08:00, started at 09:00, finished at 15:00 (+ a minute per item): six hours of cycle time.
      now = FIRST + day * DAY + 8 * HOUR + i * 60_000;
      const lane = i === 1 ? { laneId: expedite } : {};
      const { card } = await store.createCard({ boardId: board.id, columnId: board.col('Todo'), title: `Item ${day}.${i}`, ...lane }, actor);
      now = FIRST + day * DAY + 9 * HOUR + i * 60_000;
      await store.moveCard({ cardId: card.id, toColumnId: board.col('Doing') }, actor);
      now = FIRST + day * DAY + 15 * HOUR + i * 60_000;
      await store.moveCard({ cardId: card.id, toColumnId: board.col('Done') }, actor);
    }
  }
  // Open work: three in Todo, one started at 09:00 on the last day; "now" is 11:00 that day.
  now = FIRST + 55 * DAY + 8 * HOUR;
  await board.addCards('Todo', 3, 'Waiting');
  const [doing] = await board.addCards('Todo', 1, 'Started');
  now = FIRST + 55 * DAY + 9 * HOUR;
  await store.moveCard({ cardId: doing?.id ?? '', toColumnId: board.col('Doing') }, actor);
  started = doing?.id ?? '';
  now = FIRST + 55 * DAY + 11 * HOUR;
}, 120_000);

const when = (query: string) => h.api<WhenAnswer>('GET', `/api/boards/${board.id}/forecast/when?${query}`);
const howMany = (query: string) => h.api<HowManyAnswer>('GET', `/api/boards/${board.id}/forecast/how-many?${query}`);
const setWorkingDays = async (workingDays: { weekdays: number[]; holidays?: string[] } | null) =>
  expect((await h.api('PATCH', `/api/boards/${board.id}/settings`, { body: { workingDays } })).status).toBe(200);
const MON_FRI = { weekdays: [1, 2, 3, 4, 5] };

describe('forecast: when', () => {
  it('answers percentiles, the histogram, the sample and the warnings; a seed replays the run; the defaults are the open items, the last 30 days and 10,000 trials', async () => {
    const res = await when('tz=UTC');
    expect(res.status).toBe(200);
    // The 4 open cards (3 waiting, 1 started); the window is the 30 days up to the store's today.
    expect(res.body).toMatchObject({ items: 4, itemsDefault: true, trials: 10_000, start: '2026-03-02', calendar: null });
    expect(res.body.sample).toEqual({ days: 30, finished: 20, from: '2026-01-31', to: TO });
    expect(res.body.histogram.reduce((a, b) => a + b.trials, 0) + res.body.never).toBe(10_000);
    expect(Object.keys(res.body.percentiles)).toEqual(['50', '70', '85', '95']);
    const dates = Object.values(res.body.percentiles) as string[];
    expect(dates.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
    expect(dates.toSorted()).toEqual(dates);
    expect(res.body.histogram.map((b) => b.date).toSorted()).toEqual(res.body.histogram.map((b) => b.date));

    const q = `items=12&from=2026-02-02&to=${TO}&tz=UTC&trials=3000&seed=42`;
    const a = await when(q);
    const b = await when(q);
    expect(a.body.seed).toBe(42);
    expect(b.body).toEqual(a.body);
    // Without a seed the answer names the one it drew: asking with it gives the same run.
    const drawn = await when(`items=12&from=2026-02-02&to=${TO}&tz=UTC&trials=3000`);
    expect((await when(`items=12&from=2026-02-02&to=${TO}&tz=UTC&trials=3000&seed=${drawn.body.seed}`)).body).toEqual(drawn.body);
  });

  it('respects the working days: Monday to Friday removes the weekends from the sample and the calendar, a holiday moves the date', async () => {
    // Every day: the two weeks 2026-02-16..03-01 have 10 days of 1 and 4 weekend days of 0.
    const everyDay = await when(`items=10&from=2026-02-16&to=${TO}&tz=UTC&seed=1`);
    expect(everyDay.body.sample).toMatchObject({ days: 14, finished: 10 });
    expect(everyDay.body.histogram.length).toBeGreaterThan(1);

    await setWorkingDays(MON_FRI);
    try {
      // Every working day finished exactly one: ten items take ten working days, from Monday 03-02 to Friday 03-13.
      const res = await when(`items=10&from=2026-02-16&to=${TO}&tz=UTC&seed=1`);
      expect(res.body.calendar).toEqual({ weekdays: [1, 2, 3, 4, 5], holidays: [] });
      expect(res.body.sample).toMatchObject({ days: 10, finished: 10 });
      expect(res.body.percentiles).toEqual(all('2026-03-13'));
      expect(res.body.histogram).toEqual([{ date: '2026-03-13', trials: 10_000 }]);

      await setWorkingDays({ ...MON_FRI, holidays: ['2026-03-04'] });
      const holiday = await when(`items=10&from=2026-02-16&to=${TO}&tz=UTC&seed=1`);
      expect(holiday.body.percentiles).toEqual(all('2026-03-16'));
      // A holiday in the window leaves its day out of the sample too.
      await setWorkingDays({ ...MON_FRI, holidays: ['2026-02-18'] });
      expect((await when(`items=10&from=2026-02-16&to=${TO}&tz=UTC&seed=1`)).body.sample).toMatchObject({ days: 9, finished: 9 });
    } finally {
      await setWorkingDays(null);
    }
  });

  it('backtests on the board’s history: the forecast made 2 weeks ago came true, the one made 4 weeks ago (with the faster weeks) missed', async () => {
    await setWorkingDays(MON_FRI);
    try {
      const res = await when(`items=10&from=2026-02-16&to=${TO}&tz=UTC&seed=3`);
      expect(res.body.backtest).toEqual([
        // Made on Sunday 02-15 from 02-02..02-15 (one a day): ten working days, Friday 02-27; the tenth item finished that day.
        { weeksAgo: 2, madeOn: '2026-02-15', sample: { days: 10, finished: 10 }, items: 10, percentiles: all('2026-02-27'), actual: '2026-02-27', finishedSince: 10, outcome: all('met'), warnings: [] },
        // Made on Sunday 02-01 from 01-19..02-01 (two a day): five working days, Friday 02-06; the tenth item finished a week later.
        { weeksAgo: 4, madeOn: '2026-02-01', sample: { days: 10, finished: 20 }, items: 10, percentiles: all('2026-02-06'), actual: '2026-02-13', finishedSince: 20, outcome: all('missed'), warnings: [] },
      ]);
    } finally {
      await setWorkingDays(null);
    }
  });

  it('warns in plain words when the sample is small or throughput is not stable', async () => {
    const small = await when(`items=3&from=2026-02-23&to=${TO}&tz=UTC&seed=1`);
    expect(small.body.warnings).toEqual([expect.objectContaining({ code: 'SMALL_SAMPLE', message: expect.stringMatching(/Only 5 items finished/) })]);
    // 01-19..02-15: twenty items in the first half, ten in the second.
    const trend = await when(`items=3&from=2026-01-19&to=2026-02-15&tz=UTC&seed=1`);
    expect(trend.body.warnings).toEqual([expect.objectContaining({ code: 'UNSTABLE', message: expect.stringMatching(/20 items finished in the first half of the window, 10 in the second/) })]);
    const none = await when(`items=3&from=2025-11-01&to=2025-11-30&tz=UTC&seed=1`);
    expect(none.body.warnings.map((w) => w.code)).toEqual(['NO_WORKING_DAYS']);
  });
});

describe('forecast: a lane or a class of service', () => {
  it('samples only the cards of the lane (or of the lanes of the class): one a working day in the first four weeks', async () => {
    await setWorkingDays(MON_FRI);
    try {
      const whole = await when(`items=5&from=2026-01-05&to=2026-02-01&tz=UTC&seed=1`);
      expect(whole.body.sample).toMatchObject({ days: 20, finished: 40 });
      for (const filter of [`lane=${expedite}`, 'class=expedite']) {
        const res = await when(`items=5&from=2026-01-05&to=2026-02-01&tz=UTC&seed=1&${filter}`);
        expect(res.status, filter).toBe(200);
        expect(res.body.sample, filter).toMatchObject({ days: 20, finished: 20 });
        // One a working day: five items by Friday 02-06.
        expect(res.body.percentiles, filter).toEqual(all('2026-02-06'));
      }
      const other = await howMany(`date=2026-02-06&from=2026-01-05&to=2026-02-01&tz=UTC&seed=1&class=fixed_date`);
      expect(other.body).toMatchObject({ sample: { finished: 0 }, percentiles: all(0) });
      const bad = await h.api<{ error: { code: string } }>('GET', `/api/boards/${board.id}/forecast/when?class=urgent`);
      expect(bad.body.error.code).toBe('INVALID');
    } finally {
      await setWorkingDays(null);
    }
  });
});

describe('forecast: how many', () => {
  it('answers the items finished by a date at each level; Monday to Friday makes it exact, a holiday takes a day off', async () => {
    const res = await howMany(`date=2026-03-13&from=2026-02-16&to=${TO}&tz=UTC&seed=9&trials=5000`);
    expect(res.status).toBe(200);
    expect(res.body.histogram.reduce((a, b) => a + b.trials, 0)).toBe(5000);
    const levels = Object.values(res.body.percentiles);
    expect(levels.toSorted((x, y) => y - x)).toEqual(levels);
    expect(res.body.workingDays).toBe(12);

    await setWorkingDays(MON_FRI);
    try {
      const exact = await howMany(`date=2026-03-13&from=2026-02-16&to=${TO}&tz=UTC&seed=9`);
      expect(exact.body).toMatchObject({ percentiles: all(10), histogram: [{ items: 10, trials: 10_000 }], workingDays: 10 });
      await setWorkingDays({ ...MON_FRI, holidays: ['2026-03-04'] });
      expect((await howMany(`date=2026-03-13&from=2026-02-16&to=${TO}&tz=UTC&seed=9`)).body.percentiles).toEqual(all(9));
      // A start of its own: from Monday 03-09, five working days.
      expect((await howMany(`date=2026-03-13&start=2026-03-09&from=2026-02-16&to=${TO}&tz=UTC&seed=9`)).body.percentiles).toEqual(all(5));
      await setWorkingDays(MON_FRI);
      // Backtests: 2 weeks ago said 10 by 03-01 and 10 were finished; 4 weeks ago said 40 (two a day) and 20 were.
      expect(exact.body.backtest).toEqual([
        { weeksAgo: 2, madeOn: '2026-02-15', until: TO, sample: { days: 10, finished: 10 }, percentiles: all(10), actual: 10, outcome: all('met'), warnings: [] },
        { weeksAgo: 4, madeOn: '2026-02-01', until: TO, sample: { days: 10, finished: 20 }, percentiles: all(40), actual: 20, outcome: all('missed'), warnings: [] },
      ]);
    } finally {
      await setWorkingDays(null);
    }
  });
});

describe('forecast: one started card', () => {
  it('is its age against the cycle times of the finished cards: six hours each, three hours in, three to go', async () => {
    const res = await h.api<CardAnswer>('GET', `/api/boards/${board.id}/forecast/card/${started}?from=2026-02-16&to=${TO}&tz=UTC`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cardId: started, startedAt: '2026-03-01T09:00:00.000Z', percentiles: all(TO), sample: { finished: 10, peers: 10 }, warnings: [] });
    const waiting = (await h.api<{ cards: { id: string; columnId: string }[] }>('GET', `/api/boards/${board.id}`)) as unknown as { body: { board: { cards: { id: string; columnId: string }[] } } };
    const todo = waiting.body.board.cards.find((c) => c.columnId === board.col('Todo'));
    const notStarted = await h.api<CardAnswer>('GET', `/api/boards/${board.id}/forecast/card/${todo?.id}?tz=UTC`);
    expect(notStarted.body).toMatchObject({ startedAt: null, percentiles: all(null), warnings: [{ code: 'NOT_STARTED' }] });
    expect((await h.api<{ error: { code: string } }>('GET', `/api/boards/${board.id}/forecast/card/nope`)).body.error.code).toBe('NOT_FOUND');
  });
});

describe('forecast: refusals', () => {
  it('refuses bad input with INVALID and a clear message, and changes nothing', async () => {
    const version = (await h.app.store.getSnapshot(board.id)).version;
    const cases: [string, RegExp][] = [
      ['when?items=abc', /items must be a whole number from 1 to 100,000/],
      ['when?items=0', /items must be a whole number/],
      ['when?items=2.5', /items must be a whole number/],
      ['when?trials=100001', /trials must be a whole number from 1 to 100,000/],
      ['when?trials=0', /trials must be a whole number/],
      ['when?seed=-1', /seed must be a whole number/],
      ['when?from=2026-13-01', /from must be a date/],
      ['when?tz=Mars/Olympus', /zone|tz/i],
      ['when?start=tomorrow', /start must be a date/],
      ['when?from=2026-02-10&to=2026-02-01', /to must not be before from/],
      ['when?colour=red', /Unknown parameter colour/],
      ['how-many', /date is required/],
      [`how-many?date=2026-02-01&to=${TO}`, /date must not be before the forecast's first day, 2026-03-02/],
      [`how-many?date=2040-01-01&to=${TO}`, /within 10 years/],
      ['how-many?date=2026-02-30', /date must be a date/],
      ['card/x?items=3', /Unknown parameter items/],
    ];
    for (const [path, message] of cases) {
      const res = await h.api<{ error: { code: string; message: string } }>('GET', `/api/boards/${board.id}/forecast/${path}`);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('INVALID');
      expect(res.body.error.message, path).toMatch(message);
    }
    const tooLong = await h.api<{ error: { code: string } }>('GET', `/api/boards/${board.id}/forecast/when?from=2020-01-01&to=${TO}`);
    expect(tooLong.body.error.code).toBe('RANGE_TOO_LARGE');
    expect((await h.app.store.getSnapshot(board.id)).version).toBe(version);
  });

  it('answers members only: a non-member is told the board is not found; a viewer may read', async () => {
    const outsider = await h.user('forecast outsider');
    await h.app.access.removeMember(board.id, outsider.id);
    for (const path of ['when', 'how-many?date=2026-03-10', `card/${started}`]) {
      const res = await h.api<{ error: { code: string } }>('GET', `/api/boards/${board.id}/forecast/${path}`, { as: outsider });
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    await h.grant(outsider, board.id, 'viewer');
    expect((await h.api('GET', `/api/boards/${board.id}/forecast/when?seed=1&trials=100`, { as: outsider })).status).toBe(200);
    // Working days are an admin's setting.
    const refused = await h.api<{ error: { code: string } }>('PATCH', `/api/boards/${board.id}/settings`, { as: outsider, body: { workingDays: MON_FRI } });
    expect(refused.body.error.code).toBe('FORBIDDEN');
  });

  it('checks the working days: a weekday is 1 to 7, at least one, each once; holidays are real dates', async () => {
    const client = await h.connect('forecast admin');
    for (const workingDays of [{ weekdays: [] }, { weekdays: [0, 1] }, { weekdays: [1, 1] }, { weekdays: [1], holidays: ['2026-02-30'] }, { weekdays: [1], extra: true }, { weekdays: '1-5' }]) {
      const res = await client.request('board:configure', { boardId: board.id, workingDays } as never);
      expect(res.ok, JSON.stringify(workingDays)).toBe(false);
      expect((res as { code: string }).code).toBe('INVALID');
    }
  });
});

describe('working days setting', () => {
  it('is an event in the log, working_days_set, carried by the flow data; setting the same again writes nothing; null goes back to every day', async () => {
    const client = await h.connect('working days admin');
    await client.joinSnapshot(board.id);
    const set = expectOk(await client.request('board:configure', { boardId: board.id, workingDays: { weekdays: [5, 1, 2, 3, 4], holidays: ['2026-12-25', '2026-12-24', '2026-12-25'] } }));
    const event = await client.events.find('working days event', (e) => e.type === 'working_days_set');
    expect(event).toMatchObject({ type: 'working_days_set', version: set.version, workingDays: { weekdays: [1, 2, 3, 4, 5], holidays: ['2026-12-24', '2026-12-25'] } });
    const flow = await h.api<FlowData>('GET', `/api/boards/${board.id}/flow?from=${TO}&to=${TO}&tz=UTC`);
    expect(flow.body.workingDays).toEqual({ weekdays: [1, 2, 3, 4, 5], holidays: ['2026-12-24', '2026-12-25'] });
    const again = expectOk(await client.request('board:configure', { boardId: board.id, workingDays: { weekdays: [1, 2, 3, 4, 5], holidays: ['2026-12-24', '2026-12-25'] } }));
    expect(again.version).toBe(set.version);
    expectOk(await client.request('board:configure', { boardId: board.id, workingDays: null }));
    expect((await h.api<FlowData>('GET', `/api/boards/${board.id}/flow?from=${TO}&to=${TO}&tz=UTC`)).body.workingDays).toBeUndefined();
  });
});
