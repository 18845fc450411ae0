import type { Summary } from './stats';
import type { Row, Target } from './types';

export interface ReportRow extends Row {
  /** App median over floor median. */
  ratio: number;
  /** Whether the target holds; absent for rows without one. */
  met?: boolean;
}

function meets(target: Target, app: number, ratio: number): boolean {
  switch (target.kind) {
    case 'ratio-at-most':
      return ratio <= target.value;
    case 'ratio-at-least':
      return ratio >= target.value;
    case 'app-at-most':
      return app <= target.value;
    default: {
      const unreachable: never = target;
      return unreachable;
    }
  }
}

export function withRatios(rows: readonly Row[]): ReportRow[] {
  return rows.map((row) => {
    const ratio = row.app.median / row.floor.median;
    return row.target ? { ...row, ratio, met: meets(row.target, row.app.median, ratio) } : { ...row, ratio };
  });
}

function describeTarget(row: Row): string {
  const t = row.target;
  if (!t) return '';
  if (t.kind === 'ratio-at-most') return `ratio <= ${t.value}`;
  if (t.kind === 'ratio-at-least') return `ratio >= ${t.value}`;
  return `app <= ${t.value} ${row.unit}`;
}

/** Three significant digits at most, never scientific notation. */
function num(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  const abs = Math.abs(n);
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function cell(s: Summary): string {
  return `${num(s.median)} [${num(s.min)}-${num(s.max)}]`;
}

export function formatTable(rows: readonly ReportRow[]): string {
  const head = ['benchmark', 'metric', 'unit', 'app median [min-max]', 'floor median [min-max]', 'ratio', 'target', ''];
  const body = rows.map((r) => [
    r.benchmark,
    r.metric,
    r.unit,
    cell(r.app),
    cell(r.floor),
    `${num(r.ratio)}x`,
    describeTarget(r),
    r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((line) => (line[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function missedTargets(rows: readonly ReportRow[]): string[] {
  return rows.filter((r) => r.met === false).map((r) => `${r.benchmark} ${r.metric} (${describeTarget(r)}, ratio ${num(r.ratio)})`);
}
