'use client';
import { useEffect, useState } from 'react';
import { formatClock, readClock, type StandupState } from '../../lib/shared/standup';

/** The shared clock: the whole standup against its timebox, and the presenter's work center against its budget (amber past it). */
export function StandupClock({ state, offsetMs }: { state: StandupState | null; offsetMs: number }) {
  const running = state?.timer.startedAt !== null && state?.timer.startedAt !== undefined;
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (!running) return;
    const tick = () => setNow(Date.now());
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, [running]);
  if (!state || !running || now === null) {
    return (
      <p className="text-base text-slate-300 sm:text-lg" data-testid="standup-clock" data-running="false">
        Timer not started
      </p>
    );
  }
  const reading = readClock(state, now + offsetMs);
  const late = 'bg-amber-400 text-amber-950';
  return (
    <p className="flex flex-wrap items-center gap-2 font-mono text-lg font-semibold tabular-nums sm:text-2xl" data-testid="standup-clock" data-running="true">
      <span className={`rounded-md px-2 py-0.5 ${reading.overTimebox ? late : 'bg-slate-800 text-white'}`} data-over={reading.overTimebox}>
        <span className="sr-only">Standup time </span>
        {formatClock(reading.totalMs ?? 0)}
        <span className="text-slate-400"> / {formatClock(state.timer.timeboxMs)}</span>
      </span>
      <span
        className={`rounded-md px-2 py-0.5 ${reading.overBudget ? late : 'bg-slate-800 text-white'}`}
        data-testid="standup-column-clock"
        data-over={reading.overBudget}
        title="Time at this stop, against its budget"
      >
        <span className="sr-only">This stop </span>
        {formatClock(reading.columnMs ?? 0)}
        <span className={reading.overBudget ? 'text-amber-900' : 'text-slate-400'}> / {formatClock(state.timer.columnBudgetMs)}</span>
      </span>
    </p>
  );
}
