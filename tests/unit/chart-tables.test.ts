import { describe, expect, it } from 'vitest';
import { agingSummary, agingTable, cfdRows, cfdSummary, cfdTable, cycleTimeTable, runTable, throughputSummary, wipSummary, type AgingRow } from '../../lib/client/chartTables';
import type { Cfd } from '../../lib/shared/flow/series';
import { bandColor } from '../../components/flow/format';

/** A CFD as the flow page gets it: three work centers over three interval ends. */
const CFD: Cfd = {
  columns: [
    { id: 'todo', name: 'Todo', removed: false },
    { id: 'doing', name: 'Doing', removed: false },
    { id: 'done', name: 'Done', removed: false },
  ],
  points: [
    { at: '2025-03-03T00:00:00Z', cumulative: { todo: 5, doing: 3, done: 1 }, inColumn: { todo: 2, doing: 2, done: 1 } },
    { at: '2025-03-04T00:00:00Z', cumulative: { todo: 8, doing: 5, done: 2 }, inColumn: { todo: 3, doing: 3, done: 2 } },
    { at: '2025-03-05T00:00:00Z', cumulative: { todo: 9, doing: 7, done: 6 }, inColumn: { todo: 2, doing: 1, done: 6 } },
  ],
  defectReturns: [],
};
const LABELS = ['3 Mar', '4 Mar', '5 Mar'];

describe('the CFD as a table', () => {
  it('the cumulative table holds exactly the lines the chart is given, interval by interval', () => {
    const rows = cfdRows(CFD, LABELS, 0, 'cumulative');
    const table = cfdTable(CFD, rows, 'cumulative');
    expect(table.head).toEqual(['Interval end', 'Todo', 'Doing', 'Done']);
    expect(table.rows).toEqual(CFD.points.map((p, i) => [LABELS[i], p.cumulative.todo, p.cumulative.doing, p.cumulative.done]));
  });

  it('the in-column table holds the cards in each work center the chart is given', () => {
    const rows = cfdRows(CFD, LABELS, 0, 'inColumn');
    expect(cfdTable(CFD, rows, 'inColumn').rows).toEqual(CFD.points.map((p, i) => [LABELS[i], p.inColumn.todo, p.inColumn.doing, p.inColumn.done]));
  });

  it('the bands the chart stacks add up to the top line, less the cards done before the range', () => {
    const baseline = 1;
    const rows = cfdRows(CFD, LABELS, baseline, 'cumulative');
    rows.forEach((row, i) => {
      const stacked = CFD.columns.reduce((s, c) => s + Number(row[`band:${c.id}`]), 0);
      expect(stacked).toBe((CFD.points[i]?.cumulative.todo ?? 0) - baseline);
    });
  });

  it('says in one sentence what is in each work center now and what got done in the range', () => {
    expect(cfdSummary(CFD, cfdRows(CFD, LABELS, 0, 'cumulative'))).toBe('At 5 Mar: 2 in Todo, 1 in Doing and 6 in Done; 5 cards reached Done since 3 Mar.');
  });
});

describe('the other charts as tables', () => {
  it('cycle times: one row per point drawn, days as drawn (to a tenth)', () => {
    const points = [
      { x: Date.UTC(2025, 2, 3), y: 2.25, title: 'Login' },
      { x: Date.UTC(2025, 2, 4), y: 7, title: 'Export' },
    ];
    const table = cycleTimeTable(points, 'cycle', (ms) => new Date(ms).toISOString().slice(0, 10));
    expect(table.rows).toEqual([
      ['Login', '2025-03-03', 2.3],
      ['Export', '2025-03-04', 7],
    ]);
  });

  it('aging: each card in progress with its work center, age and percentile in words', () => {
    const rows: AgingRow[] = [
      { title: 'Stuck', column: 'Doing', ageDays: 20.04, level: 'p95' },
      { title: 'Fresh', column: 'Review', ageDays: 0.5, level: null },
    ];
    expect(agingTable(rows).rows).toEqual([
      ['Stuck', 'Doing', 20, 'older than the 95th percentile'],
      ['Fresh', 'Review', 0.5, 'within the 50th percentile'],
    ]);
    expect(agingSummary(rows, (d) => `${Math.round(d)} d`)).toBe('2 cards in progress, 1 older than the 85th percentile; the oldest, Stuck, is 20 d old in Doing.');
  });

  it('throughput and WIP: the bars and steps as drawn, summed up in a sentence', () => {
    const rows = [
      { label: '3 Mar', value: 1 },
      { label: '4 Mar', value: 4 },
      { label: '5 Mar', value: 1 },
    ];
    expect(runTable(rows, 'Cards finished per day', ['Day', 'Finished']).rows).toEqual([
      ['3 Mar', 1],
      ['4 Mar', 4],
      ['5 Mar', 1],
    ]);
    expect(throughputSummary(rows, 'day')).toBe('6 cards finished, 2 per day on average; the most, 4, in the day of 4 Mar.');
    expect(wipSummary(rows, 2)).toBe('1 card in progress at 5 Mar, 2 on average, at most 4 (4 Mar).');
  });
});

/** WCAG relative luminance and contrast, and a CIELAB distance, to hold the CFD's palette to its promise. */
const channels = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
const linear = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const luminance = (rgb: number[]) => {
  const [r = 0, g = 0, b = 0] = rgb.map(linear);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: number[], b: number[]) => {
  const [hi, lo] = [luminance(a), luminance(b)].toSorted((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
};
/** Colour-vision deficiency simulation (Machado, Oliveira and Fernandes 2009, severity 1), on linear RGB. */
const CVD = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
} as const;
const simulate = (rgb: number[], m: readonly (readonly number[])[]) => {
  const l = rgb.map(linear);
  return m.map((row) => {
    const v = Math.min(1, Math.max(0, (row[0] ?? 0) * (l[0] ?? 0) + (row[1] ?? 0) * (l[1] ?? 0) + (row[2] ?? 0) * (l[2] ?? 0)));
    return v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
  });
};
const f = (t: number) => (t > 216 / 24_389 ? Math.cbrt(t) : ((24_389 / 27) * t + 16) / 116);
const lab = (rgb: number[]) => {
  const [r = 0, g = 0, b = 0] = rgb.map(linear);
  const [x, y, z] = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.950_47, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.088_83].map(f);
  return [116 * (y ?? 0) - 16, 500 * ((x ?? 0) - (y ?? 0)), 200 * ((y ?? 0) - (z ?? 0))];
};
const distance = (a: number[], b: number[]) => {
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(...p.map((v, i) => v - (q[i] ?? 0)));
};

describe('the CFD palette', () => {
  it('neighbouring bands differ in lightness (2.3:1 or more) and stay apart under every colour-vision deficiency', () => {
    for (let count = 2; count <= 12; count++) {
      const colors = Array.from({ length: count }, (_, i) => channels(bandColor(i, count)));
      for (let i = 1; i < count; i++) {
        const [a = [], b = []] = [colors[i - 1], colors[i]];
        expect(contrast(a, b), `bands ${i - 1} and ${i} of ${count}`).toBeGreaterThanOrEqual(2.3);
        for (const [kind, matrix] of Object.entries(CVD)) {
          expect(distance(simulate(a, matrix), simulate(b, matrix)), `bands ${i - 1} and ${i} of ${count} under ${kind}`).toBeGreaterThanOrEqual(25);
        }
      }
    }
  });
});
