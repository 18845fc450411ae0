'use client';
import { useId, useState, type FormEvent } from 'react';
import { LIMITS } from '../../lib/shared/domain/limits';
import type { WorkingDays } from '../../lib/shared/domain/types';
import type { FlowData } from '../../lib/shared/flow/data';
import { formatDate, parseDate } from '../../lib/shared/flow/time';
import { Button } from '../ui/Button';
import { Field, FormError, inputClass } from '../ui/Field';
import { Modal } from '../ui/Modal';

export interface FlowSettings {
  demandPerWeek: number | null;
  commitmentColumnId: string | null;
  /** Which days the team works, for forecasts; null: every day. */
  workingDays: WorkingDays | null;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** Holidays as typed: dates separated by commas, spaces or lines; the wrong ones named. */
function parseHolidays(text: string): { dates: string[]; wrong: string[] } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const dates = parts.filter((p) => {
    const d = parseDate(p);
    return d !== null && formatDate(d) === p;
  });
  return { dates, wrong: parts.filter((p) => !dates.includes(p)) };
}

interface Props {
  data: FlowData;
  /** The board's explicit setting (null: the default, the second work center). */
  onSave(settings: FlowSettings): Promise<string | null>;
  onClose(): void;
}

/** Board flow settings: the customer's demand, and where cycle time starts. */
export function FlowSettingsDialog({ data, onSave, onClose }: Props) {
  const live = data.columns.filter((c) => c.live);
  const [demand, setDemand] = useState(data.demandPerWeek === null ? '' : String(data.demandPerWeek));
  const [commitment, setCommitment] = useState(data.commitmentColumnId);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [weekdays, setWeekdays] = useState<number[]>(data.workingDays?.weekdays ?? [1, 2, 3, 4, 5, 6, 7]);
  const [holidays, setHolidays] = useState((data.workingDays?.holidays ?? []).join('\n'));
  const ids = { demand: useId(), commit: useId(), holidays: useId(), days: useId() };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const text = demand.trim();
    const value = text === '' ? null : Number(text);
    if (value !== null && (!Number.isFinite(value) || value < 0 || value > LIMITS.demandPerWeekMax)) {
      return setError(`Demand is a number of cards per week from 0 to ${LIMITS.demandPerWeekMax}, or empty`);
    }
    const parsedHolidays = parseHolidays(holidays);
    if (weekdays.length === 0) return setError('At least one day of the week must be a working day');
    if (parsedHolidays.wrong.length > 0) return setError(`Holidays are dates as YYYY-MM-DD; not a date: ${parsedHolidays.wrong.slice(0, 3).join(', ')}`);
    setSaving(true);
    const workingDays = weekdays.length === 7 && parsedHolidays.dates.length === 0 ? null : { weekdays, holidays: parsedHolidays.dates };
    const failure = await onSave({ demandPerWeek: value, commitmentColumnId: commitment, workingDays });
    setSaving(false);
    if (failure) setError(failure);
    else onClose();
  };

  return (
    <Modal title="Flow settings" onClose={onClose} testId="flow-settings-dialog">
      <form onSubmit={(e) => void save(e)} className="space-y-4" noValidate>
        <Field label="Customer demand (cards per week)" htmlFor={ids.demand} hint="What the customer needs each week; leave empty when unknown.">
          <input
            id={ids.demand}
            inputMode="decimal"
            value={demand}
            onChange={(e) => setDemand(e.target.value)}
            placeholder="e.g. 12"
            className={inputClass}
            data-testid="demand-input"
            autoFocus
          />
        </Field>
        <Field label="Commitment point (cycle time starts here)" htmlFor={ids.commit} hint="By default the second work center.">
          <select id={ids.commit} value={commitment} onChange={(e) => setCommitment(e.target.value)} className={inputClass} data-testid="commitment-select">
            {live.slice(0, -1).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="space-y-1" aria-describedby={`${ids.days}-hint`}>
          <legend className="block text-sm font-medium text-slate-700">Working days (for forecasts)</legend>
          <div className="flex flex-wrap gap-x-3 gap-y-1" data-testid="working-days">
            {WEEKDAYS.map((name, i) => (
              <label key={name} className="flex items-center gap-1 text-sm text-slate-800">
                <input
                  type="checkbox"
                  checked={weekdays.includes(i + 1)}
                  onChange={(e) => setWeekdays((days) => (e.target.checked ? [...days, i + 1].toSorted((a, b) => a - b) : days.filter((d) => d !== i + 1)))}
                  data-testid={`working-day-${i + 1}`}
                />
                {name.slice(0, 3)}
                <span className="sr-only">{name.slice(3)}</span>
              </label>
            ))}
          </div>
          <p id={`${ids.days}-hint`} className="text-xs text-slate-500">
            Days left unticked finish nothing: forecasts skip them, in the history and in the calendar. Every day by default.
          </p>
        </fieldset>
        <Field label="Holidays (dates nobody works)" htmlFor={ids.holidays} hint="One date per line, as YYYY-MM-DD.">
          <textarea id={ids.holidays} value={holidays} onChange={(e) => setHolidays(e.target.value)} rows={2} placeholder="2026-12-25" className={inputClass} data-testid="holidays-input" />
        </Field>
        <FormError message={error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={saving} data-testid="flow-settings-save">
            Save
          </Button>
        </div>
      </form>
    </Modal>
  );
}
