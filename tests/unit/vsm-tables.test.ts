import { describe, expect, it } from 'vitest';
import { efficiencyHistogramRows, efficiencyHistogramTable, efficiencySummary, efficiencyTrendSummary, vsmSummary, vsmTable } from '../../lib/client/vsmTables';
import type { ValueStreamMap, VsmWorkCenter } from '../../lib/shared/flow/vsm';

const center = (name: string, over: Partial<VsmWorkCenter> = {}): VsmWorkCenter => ({
  columnId: name,
  name,
  departed: 3,
  medianDays: 2,
  p85Days: 3,
  medianActiveDays: 1,
  activeShare: 4 / 6,
  waitingShare: 1 / 6,
  blockedShare: 1 / 6,
  arrivals: 4,
  departures: 3,
  arrivalsPerWeek: 4,
  departuresPerWeek: 3,
  weekly: [],
  forwardDepartures: 3,
  sentBack: 1,
  completeAccurate: 2 / 3,
  worst: [],
  ...over,
});

const map = (workCenters: VsmWorkCenter[]): ValueStreamMap => ({
  range: { from: '2026-03-02', to: '2026-03-08', tz: 'UTC' },
  asOf: '',
  commitmentColumnId: '',
  doneColumnId: '',
  workCenters,
  summary: { leadTimeDays: 3, activeDays: 2, activityRatio: 2 / 3, rolledCompleteAccurate: 2 / 3 },
  efficiency: {
    cards: [],
    median: 2 / 3,
    board: 7 / 9,
    histogram: Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, count: i === 6 || i === 8 ? 1 : 0 })),
    weekly: [],
  },
});

describe('the value stream page as text', () => {
  it('the map’s table holds every number the boxes show, a row per work center', () => {
    const table = vsmTable(map([center('Develop'), center('Test', { departed: 0, medianDays: null, completeAccurate: null, activeShare: null })]));
    expect(table.rows[0]).toEqual(['Develop', 3, '2.00', '3.00', '1.00', '67%', '17%', '17%', 3, 1, '67%', '4.0', '3.0']);
    expect(table.rows[1]?.slice(0, 3)).toEqual(['Test', 0, '–']);
    expect(table.head).toHaveLength(table.rows[0]?.length ?? 0);
  });

  it('says the summary line, or that nothing left a work center', () => {
    expect(vsmSummary(map([center('Develop')]))).toBe('Lead time 3.00 days, of which 2.00 active (activity ratio 67%); rolled %C/A 67%.');
    expect(vsmSummary(map([center('Develop', { departed: 0 })]))).toBe('Nothing left a work center in progress in this range.');
  });

  it('the histogram’s rows are the buckets by tenths, the same counts in its table', () => {
    const rows = efficiencyHistogramRows(map([]).efficiency);
    expect(rows.map((r) => r.label)).toEqual(['0–10%', '10–20%', '20–30%', '30–40%', '40–50%', '50–60%', '60–70%', '70–80%', '80–90%', '90–100%']);
    expect(efficiencyHistogramTable(rows).rows.filter((r) => r[1] !== 0)).toEqual([
      ['60–70%', 1],
      ['80–90%', 1],
    ]);
    expect(efficiencySummary(map([]).efficiency)).toBe('No card with a cycle time finished in this range.');
  });

  it('names the trend from the first week with cards to the last', () => {
    expect(
      efficiencyTrendSummary([
        { label: '2 Mar', median: 0.5, board: 0.5, cards: 2 },
        { label: '9 Mar', median: null, board: null, cards: 0 },
        { label: '16 Mar', median: 0.75, board: 0.7, cards: 3 },
      ]),
    ).toBe('Median flow efficiency went from 50% in the week of 2 Mar to 75% in the week of 16 Mar.');
    expect(efficiencyTrendSummary([{ label: '2 Mar', median: 0.5, board: 0.5, cards: 2 }])).toBe('Too few weeks with finished cards for a trend.');
  });
});
