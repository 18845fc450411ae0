'use client';
import type { KeyboardEvent } from 'react';
import type { ValueStreamMap, VsmWorkCenter } from '../../lib/shared/flow/vsm';
import { formatDays, formatNumber, formatPercent } from './format';

/** Layout in SVG units: the drawing scales to its container (it grows on a standup screen, scrolls sideways on a phone). */
const BOX_W = 200;
const BOX_H = 190;
const TRIANGLE_W = 84;
const LEFT = 12;
const TOP = 34;
const WAIT_Y = TOP + BOX_H + 44;
const ACTIVE_Y = WAIT_Y + 40;
const SUMMARY_Y = ACTIVE_Y + 58;
const HEIGHT = SUMMARY_Y + 14;
/** Wide enough for the summary line under a single box. */
const MIN_WIDTH = 660;
/** The drawing is never shrunk below this share of its natural width: past it, the page scrolls sideways. */
const MIN_SCALE = 0.8;

/** The part of a work center's median time that is not active: waiting to be pulled, or blocked. */
export const notActiveDays = (w: VsmWorkCenter) => (w.medianDays === null ? null : Math.max(0, w.medianDays - (w.medianActiveDays ?? 0)));

function ShareBar({ w, x, y, width }: { w: VsmWorkCenter; x: number; y: number; width: number }) {
  const parts = [
    { share: w.activeShare ?? 0, className: 'fill-emerald-600' },
    { share: w.waitingShare ?? 0, className: 'fill-amber-400' },
    { share: w.blockedShare ?? 0, className: 'fill-rose-600' },
  ];
  let at = x;
  return (
    <g>
      <rect x={x} y={y} width={width} height={12} rx={3} className="fill-slate-200" />
      {parts.map((p) => {
        const part = (
          <rect key={p.className} x={at} y={y} width={Math.max(0, p.share * width)} height={12} className={p.className} />
        );
        at += p.share * width;
        return part;
      })}
    </g>
  );
}

function ProcessBox({ w, x, selected, onOpen, panelId }: { w: VsmWorkCenter; x: number; selected: boolean; onOpen: (columnId: string) => void; panelId: string }) {
  const onKeyDown = (e: KeyboardEvent<SVGGElement>) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(w.columnId);
    }
  };
  const cx = x + 12;
  return (
    // A focusable box: Enter or Space opens its longest items, as a click does. Its name is its text,
    // as it is drawn (what a sighted user reads is what a screen reader says).
    // oxlint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- the role makes it interactive
    <g
      role="button"
      tabIndex={0}
      aria-expanded={selected}
      aria-controls={panelId}
      onClick={() => onOpen(w.columnId)}
      onKeyDown={onKeyDown}
      className="group cursor-pointer outline-none"
      data-testid="vsm-box"
      data-column-id={w.columnId}
    >
      <rect
        x={x}
        y={TOP}
        width={BOX_W}
        height={BOX_H}
        rx={8}
        className={`fill-white ${selected ? 'stroke-sky-700' : 'stroke-slate-400'} group-hover:stroke-sky-600`}
        strokeWidth={selected ? 3 : 1.5}
      />
      {/* The keyboard focus ring: drawn, since an SVG group shows no outline of its own. */}
      <rect x={x - 4} y={TOP - 4} width={BOX_W + 8} height={BOX_H + 8} rx={11} fill="none" strokeWidth={3} className="stroke-sky-700 opacity-0 group-focus-visible:opacity-100" />
      <rect x={x} y={TOP} width={BOX_W} height={30} rx={8} className="fill-slate-800" />
      <rect x={x} y={TOP + 22} width={BOX_W} height={8} className="fill-slate-800" />
      <text x={x + BOX_W / 2} y={TOP + 20} textAnchor="middle" className="fill-white text-[15px] font-semibold">
        {w.name.length > 22 ? `${w.name.slice(0, 21)}…` : w.name}
      </text>
      <text x={cx} y={TOP + 52} className="fill-slate-900 text-[15px]">
        <tspan className="font-semibold">{formatDays(w.medianDays)}</tspan>
        <tspan className="fill-slate-600 text-[13px]"> median</tspan>
      </text>
      <text x={cx} y={TOP + 72} className="fill-slate-600 text-[13px]">
        85th percentile {formatDays(w.p85Days)}
      </text>
      <ShareBar w={w} x={cx} y={TOP + 82} width={BOX_W - 24} />
      {w.departed ? (
        <>
          <text x={cx} y={TOP + 112} className="fill-slate-700 text-[13px]">
            {formatPercent(w.activeShare)} active, {formatPercent(w.waitingShare)} waiting,
          </text>
          <text x={cx} y={TOP + 129} className="fill-slate-700 text-[13px]">
            {formatPercent(w.blockedShare)} blocked
          </text>
        </>
      ) : (
        <text x={cx} y={TOP + 112} className="fill-slate-700 text-[13px]">
          Nothing left it in this range
        </text>
      )}
      <text x={cx} y={TOP + 154} className="fill-slate-900 text-[15px]">
        <tspan className="fill-slate-600 text-[13px]">%C/A </tspan>
        <tspan className="font-semibold">{formatPercent(w.completeAccurate)}</tspan>
      </text>
      <text x={cx} y={TOP + 176} className="fill-slate-600 text-[13px]">
        in {formatNumber(w.arrivalsPerWeek)}/wk · out {formatNumber(w.departuresPerWeek)}/wk
      </text>
    </g>
  );
}

/** The inventory triangle between two process boxes, with the time a card is there but not worked on. */
function WaitTriangle({ w, x }: { w: VsmWorkCenter; x: number }) {
  const cx = x + TRIANGLE_W / 2;
  const top = TOP + 44;
  return (
    <g aria-hidden>
      <line x1={x + 2} y1={TOP + BOX_H / 2 - 30} x2={x + TRIANGLE_W - 8} y2={TOP + BOX_H / 2 - 30} strokeWidth={2} className="stroke-slate-400" markerEnd="url(#vsm-arrow)" />
      <path d={`M ${cx} ${top} L ${cx + 24} ${top + 40} L ${cx - 24} ${top + 40} Z`} strokeWidth={1.5} className="fill-amber-100 stroke-amber-700" />
      <text x={cx} y={top + 33} textAnchor="middle" className="fill-amber-900 text-[13px] font-bold">
        W
      </text>
      <text x={cx} y={top + 62} textAnchor="middle" className="fill-slate-900 text-[14px] font-semibold">
        {formatDays(notActiveDays(w))}
      </text>
      <text x={cx} y={top + 78} textAnchor="middle" className="fill-slate-600 text-[12px]">
        not active
      </text>
    </g>
  );
}

/**
 * The value stream map as it is drawn on a wall: a process box per work center in progress, a wait
 * triangle after each, the timeline ladder below (time not active up, active time down) and the
 * summary line at its end.
 */
export function VsmMap({ map, selected, onOpen, panelId }: { map: ValueStreamMap; selected: string | null; onOpen: (columnId: string) => void; panelId: string }) {
  const n = map.workCenters.length;
  const step = BOX_W + TRIANGLE_W;
  const end = LEFT + n * step;
  const width = Math.max(end + LEFT, MIN_WIDTH);
  const { summary } = map;
  // The ladder: down under each box (active), up under each triangle (not active).
  const ladder = map.workCenters.flatMap((_, i) => {
    const x = LEFT + i * step;
    return [`${i === 0 ? 'M' : 'L'} ${x} ${ACTIVE_Y}`, `L ${x + BOX_W} ${ACTIVE_Y}`, `L ${x + BOX_W} ${WAIT_Y}`, `L ${x + step} ${WAIT_Y}`];
  });
  return (
    <div className="overflow-x-auto" data-testid="vsm-map">
      <svg viewBox={`0 0 ${width} ${HEIGHT}`} className="block w-full" style={{ minWidth: width * MIN_SCALE }} role="group" aria-label="Value stream map: a box per work center in progress, in flow order">
        <defs>
          <marker id="vsm-arrow" viewBox="0 0 10 10" refX={8} refY={5} markerWidth={7} markerHeight={7} orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="fill-slate-400" />
          </marker>
        </defs>
        <text x={LEFT} y={18} className="fill-slate-600 text-[13px]">
          Commitment point →
        </text>
        <text x={end - 8} y={18} textAnchor="end" className="fill-slate-600 text-[13px]">
          → Done
        </text>
        {map.workCenters.map((w, i) => (
          <g key={w.columnId}>
            <ProcessBox w={w} x={LEFT + i * step} selected={selected === w.columnId} onOpen={onOpen} panelId={panelId} />
            <WaitTriangle w={w} x={LEFT + i * step + BOX_W} />
          </g>
        ))}
        <g aria-hidden>
          {n > 0 ? <path d={ladder.join(' ')} fill="none" strokeWidth={2.5} className="stroke-slate-700" /> : null}
          {map.workCenters.map((w, i) => (
            <g key={w.columnId}>
              <text x={LEFT + i * step + BOX_W / 2} y={ACTIVE_Y + 20} textAnchor="middle" className="fill-emerald-800 text-[14px] font-semibold">
                {formatDays(w.medianActiveDays)} active
              </text>
              <text x={LEFT + i * step + BOX_W + TRIANGLE_W / 2} y={WAIT_Y - 8} textAnchor="middle" className="fill-amber-900 text-[13px]">
                {formatDays(notActiveDays(w))}
              </text>
            </g>
          ))}
        </g>
        {/* The summary line, at the end of the timeline as on a paper map. */}
        <text x={width - LEFT} y={SUMMARY_Y} textAnchor="end" className="fill-slate-900 text-[17px]" data-testid="vsm-summary-line">
          <tspan className="fill-slate-600">Lead time </tspan>
          <tspan className="font-bold">{formatDays(summary.leadTimeDays)}</tspan>
          <tspan className="fill-slate-600"> · Active </tspan>
          <tspan className="font-bold">{formatDays(summary.activeDays)}</tspan>
          <tspan className="fill-slate-600"> · Activity ratio </tspan>
          <tspan className="font-bold">{formatPercent(summary.activityRatio)}</tspan>
          <tspan className="fill-slate-600"> · Rolled %C/A </tspan>
          <tspan className="font-bold">{formatPercent(summary.rolledCompleteAccurate)}</tspan>
        </text>
      </svg>
    </div>
  );
}
