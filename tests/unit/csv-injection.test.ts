/**
 * Spreadsheet formula injection: every text cell we export that a spreadsheet would run (= + - @,
 * tab, carriage return) starts with a ', and reading our own export gives the original text back.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatItemsCsv, neutraliseFormula, parseCsv, planImport, restoreFormula, toCsv, type ExportItem } from '../../lib/shared/flow/csv';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;
const NOW = Date.UTC(2025, 5, 1);
const jan = (day: number) => Date.UTC(2025, 0, day, 9);

/** Cells exactly as a spreadsheet would read them from the file. */
const rawCells = (csv: string) => {
  const { records, error } = parseCsv(csv);
  expect(error).toBeNull();
  return records.map((r) => r.cells);
};

/** Text rich in what matters here: formula characters, quotes before them, CSV's own specials. */
const hostileText = fc
  .tuple(fc.array(fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', '\n', '"', ',', ' ', '1', '.', '\ufeff'), { maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 12 }))
  .map(([start, rest]) => start.join('') + rest);

describe('CSV formula neutralising', () => {
  it('a text cell starting with = + - @, a tab or a carriage return is written with a leading quote', () => {
    const titles = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '@SUM(1)', '-2+3', '\t=1+1', '\r=1+1', '=1+2'];
    const [header, ...rows] = rawCells(toCsv([['title'], ...titles.map((t) => [t])]));
    expect(header).toEqual(['title']);
    expect(rows.map((r) => r[0])).toEqual(titles.map((t) => `'${t}`));
  });

  it('numbers stay numbers: passed as numbers, or a plain decimal as toFixed writes it, even negative', () => {
    expect(toCsv([[-3, 0.5, '-1.500', '2.000', '-7']])).toBe('-3,0.5,-1.500,2.000,-7\r\n');
  });

  it('harmless text is written unchanged, quoted only where CSV needs it', () => {
    expect(toCsv([['Ada', "it's", 'a, b', ' padded ', 'say "hi"', null, undefined]])).toBe(`Ada,it's,"a, b"," padded ","say ""hi""",,\r\n`);
  });

  it('a quote already in front of a formula character gets one more, so that reading takes exactly one off', () => {
    expect(neutraliseFormula("'=1+1")).toBe("''=1+1");
    expect(restoreFormula("''=1+1")).toBe("'=1+1");
    expect(restoreFormula("'=1+1")).toBe('=1+1');
    // A quote before anything else is the text's own.
    expect(neutraliseFormula("'tis")).toBe("'tis");
    expect(restoreFormula("'tis")).toBe("'tis");
  });

  it('no cell of any export starts with a formula character, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(fc.array(hostileText, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (rows) => {
        for (const row of rawCells(toCsv([['ID'], ...rows.map((r) => ['x', ...r])]))) {
          for (const cell of row) if (!PLAIN_NUMBER.test(cell)) expect(cell).not.toMatch(FORMULA_START);
        }
      }),
    );
  });

  it('any text survives export then import (round trip)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(hostileText, fc.string({ unit: 'binary' })), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (rows) => {
        // A leading fixed cell: an all-empty record is skipped and a leading byte-order mark dropped by any reader.
        const written = rows.map((r) => ['x', ...r]);
        const read = rawCells(toCsv(written)).map((cells) => cells.map(restoreFormula));
        expect(read).toEqual(written);
      }),
    );
  });
});

describe('items.csv round trip', () => {
  const workCenters = ['=1+2', '@Design', '-Develop', 'Done'];
  const text = fc.oneof(hostileText, fc.string({ unit: 'binary', maxLength: 30 })).map((t) => t.trim()).filter((t) => t.length > 0 && t.length <= 200);

  it('IDs, titles, work centers, attributes and blocked days come back from our own export as they were', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(text, text, text, fc.nat({ max: 100_000 })), { minLength: 1, maxLength: 8, selector: ([id]) => id }), (rows) => {
        // Blocked time in hundredths of a day: what the Blocked Days column carries.
        const items: ExportItem[] = rows.map(([externalId, title, owner, hundredths]) => ({
          externalId,
          link: null,
          title,
          entered: [jan(1), jan(2), null, null],
          attributes: { Owner: owner },
          blockedMs: hundredths * 864_000,
        }));
        const result = planImport(formatItemsCsv(workCenters, ['Owner'], items, 'UTC', false), { tz: 'UTC', now: NOW });
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        expect(result.plan.workCenters).toEqual(workCenters);
        expect(result.plan.items.map((i) => [i.externalId, i.title, i.attributes.Owner, i.blockedMs / 864_000])).toEqual(rows);
      }),
    );
  });
});
