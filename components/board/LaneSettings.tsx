'use client';
import { useId, useState, type FormEvent } from 'react';
import { CLASS_LABELS, LANES_PER_BOARD } from '../../lib/shared/domain/lanes';
import { LIMITS } from '../../lib/shared/domain/limits';
import { CLASSES_OF_SERVICE, type ClassOfService, type ColumnDTO, type LaneDTO } from '../../lib/shared/domain/types';
import type { Ack } from '../../lib/shared/protocol';
import type { LaneChanges } from '../../lib/client/boardActions';
import { parseWipLimit } from '../../lib/client/forms';
import { Button } from '../ui/Button';
import { FormError, inputClass } from '../ui/Field';

export interface LaneActions {
  addLane(input: { name: string; classOfService: ClassOfService; wipLimit?: number | null }): Promise<Ack>;
  updateLane(laneId: string, changes: LaneChanges): Promise<Ack>;
  moveLane(laneId: string, toIndex: number): Promise<Ack>;
  removeLane(laneId: string): Promise<Ack>;
}

interface LaneSettingsProps {
  lanes: readonly LaneDTO[];
  columns: readonly ColumnDTO[];
  /** Live cards per lane, of those loaded. */
  cardsIn(laneId: string): number;
  actions: LaneActions;
}

const errorOf = (ack: Ack): string | null => (ack.ok ? null : ack.message);
const limitText = (limit: number | null | undefined) => (limit === null || limit === undefined ? '' : String(limit));

/**
 * The board's lanes in its settings: add, rename, class of service, the lane's limit and its cells'
 * limits, order, and removal (confirmed; refused by the server while a lane holds cards). Every
 * change is the server's answer: no guess shown first.
 */
export function LaneSettings({ lanes, columns, cardsIn, actions }: LaneSettingsProps) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ClassOfService>('standard');
  const [limit, setLimit] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const ids = { name: useId(), kind: useId(), limit: useId() };
  const full = lanes.length >= LANES_PER_BOARD;

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError('A lane needs a name');
    const parsed = parseWipLimit(limit);
    if (!parsed.ok) return setError(parsed.message);
    const failure = errorOf(await actions.addLane({ name: trimmed, classOfService: kind, ...(limit.trim() ? { wipLimit: parsed.value } : {}) }));
    setError(failure);
    if (!failure) {
      setName('');
      setLimit('');
      setStatus(`Lane ${trimmed} added`);
    }
  };

  return (
    <section className="mt-5 space-y-3 border-t border-slate-200 pt-4" aria-labelledby="lanes-heading" data-testid="lane-settings">
      <h3 id="lanes-heading" className="text-sm font-semibold text-slate-800">
        Lanes
      </h3>
      <p className="text-xs text-slate-600">
        Expedite work passes a full work center but its lane has a hard limit of its own, counted over the work centers in progress (not the first or the last). A board
        has one expedite lane at most, always on top.
      </p>
      <p role="status" className="sr-only">
        {status}
      </p>
      <ol className="space-y-2">
        {lanes.map((lane, index) => (
          <LaneRow
            // A lane changed by anyone starts its form again from the server's values.
            key={`${lane.id}:${lane.name}:${lane.classOfService}:${lane.wipLimit}:${JSON.stringify(lane.cellLimits)}`}
            lane={lane}
            index={index}
            count={lanes.length}
            cards={cardsIn(lane.id)}
            columns={columns}
            actions={actions}
            announce={setStatus}
            aboveIsExpedite={lanes[index - 1]?.classOfService === 'expedite'}
          />
        ))}
      </ol>
      <form onSubmit={(e) => void add(e)} className="space-y-2 rounded-lg bg-slate-50 p-2 ring-1 ring-slate-200" noValidate>
        <h4 className="text-xs font-semibold text-slate-700">Add a lane</h4>
        {full ? <p className="text-sm text-slate-600">A board holds at most {LANES_PER_BOARD} lanes.</p> : null}
        <div className="grid grid-cols-[minmax(0,1fr)_8rem_5rem] gap-2">
          <label className="text-xs text-slate-700" htmlFor={ids.name}>
            Name
            <input id={ids.name} value={name} maxLength={LIMITS.columnName} onChange={(e) => setName(e.target.value)} className={inputClass} disabled={full} data-testid="new-lane-name" />
          </label>
          <label className="text-xs text-slate-700" htmlFor={ids.kind}>
            Class
            <ClassSelect id={ids.kind} value={kind} onChange={setKind} disabled={full} testId="new-lane-class" />
          </label>
          <label className="text-xs text-slate-700" htmlFor={ids.limit}>
            Lane limit
            <input
              id={ids.limit}
              type="number"
              min={1}
              max={LIMITS.wipLimitMax}
              value={limit}
              placeholder={kind === 'expedite' ? '1' : 'None'}
              onChange={(e) => setLimit(e.target.value)}
              className={inputClass}
              disabled={full}
              data-testid="new-lane-limit"
            />
          </label>
        </div>
        <FormError message={error} testId="new-lane-error" />
        <div className="flex justify-end">
          <Button type="submit" variant="primary" disabled={full} data-testid="new-lane-save">
            Add lane
          </Button>
        </div>
      </form>
    </section>
  );
}

interface LaneRowProps {
  lane: LaneDTO;
  index: number;
  count: number;
  cards: number;
  columns: readonly ColumnDTO[];
  actions: LaneActions;
  announce(message: string): void;
  aboveIsExpedite: boolean;
}

function LaneRow({ lane, index, count, cards, columns, actions, announce, aboveIsExpedite }: LaneRowProps) {
  const [name, setName] = useState(lane.name);
  const [kind, setKind] = useState<ClassOfService>(lane.classOfService);
  const [limit, setLimit] = useState(limitText(lane.wipLimit));
  const [cells, setCells] = useState<Record<string, string>>(() => Object.fromEntries(columns.map((c) => [c.id, limitText(lane.cellLimits[c.id])])));
  const [error, setError] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const ids = { name: useId(), kind: useId(), limit: useId() };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const changes: LaneChanges = {};
    const trimmed = name.trim();
    if (!trimmed) return setError('A lane needs a name');
    if (trimmed !== lane.name) changes.name = trimmed;
    if (kind !== lane.classOfService) changes.classOfService = kind;
    const parsed = parseWipLimit(limit);
    if (!parsed.ok) return setError(parsed.message);
    if (parsed.value !== lane.wipLimit) changes.wipLimit = parsed.value;
    const cellLimits: Record<string, number | null> = {};
    for (const column of columns) {
      const cell = parseWipLimit(cells[column.id] ?? '');
      if (!cell.ok) return setError(`${column.name}: ${cell.message}`);
      if (cell.value !== (lane.cellLimits[column.id] ?? null)) cellLimits[column.id] = cell.value;
    }
    if (Object.keys(cellLimits).length > 0) changes.cellLimits = cellLimits;
    if (Object.keys(changes).length === 0) return setError(null);
    const failure = errorOf(await actions.updateLane(lane.id, changes));
    setError(failure);
    if (!failure) announce(`Lane ${trimmed} saved`);
  };

  const move = async (toIndex: number) => {
    const failure = errorOf(await actions.moveLane(lane.id, toIndex));
    setError(failure);
    if (!failure) announce(`Lane ${lane.name} moved to place ${toIndex + 1}`);
  };

  const remove = async () => {
    const failure = errorOf(await actions.removeLane(lane.id));
    setConfirmRemove(false);
    setError(failure);
    if (!failure) announce(`Lane ${lane.name} removed`);
  };

  return (
    <li className="rounded-lg p-2 ring-1 ring-slate-200" data-testid={`lane-row-${lane.id}`}>
      <form onSubmit={(e) => void save(e)} className="space-y-2" noValidate aria-label={`Lane ${lane.name}`}>
        <div className="grid grid-cols-[minmax(0,1fr)_8rem_5rem] gap-2">
          <label className="text-xs text-slate-700" htmlFor={ids.name}>
            Name
            <input id={ids.name} value={name} maxLength={LIMITS.columnName} onChange={(e) => setName(e.target.value)} className={inputClass} data-testid="lane-name" />
          </label>
          <label className="text-xs text-slate-700" htmlFor={ids.kind}>
            Class
            <ClassSelect id={ids.kind} value={kind} onChange={setKind} testId="lane-class" />
          </label>
          <label className="text-xs text-slate-700" htmlFor={ids.limit}>
            Lane limit
            <input id={ids.limit} type="number" min={1} max={LIMITS.wipLimitMax} value={limit} placeholder="None" onChange={(e) => setLimit(e.target.value)} className={inputClass} data-testid="lane-limit" />
          </label>
        </div>
        <details className="text-xs text-slate-700">
          <summary className="cursor-pointer rounded font-medium focus-visible:outline-2 focus-visible:outline-sky-600">Limits per work center in this lane</summary>
          <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-4">
            {columns.map((column) => (
              <label key={column.id} className="text-xs text-slate-700">
                {column.name}
                <input
                  type="number"
                  min={1}
                  max={LIMITS.wipLimitMax}
                  value={cells[column.id] ?? ''}
                  placeholder="None"
                  onChange={(e) => setCells({ ...cells, [column.id]: e.target.value })}
                  className={inputClass}
                  data-testid={`cell-limit-${column.id}`}
                />
              </label>
            ))}
          </div>
        </details>
        <FormError message={error} testId={`lane-error-${lane.id}`} />
        <div className="flex flex-wrap items-center justify-between gap-2">
          <span className="flex gap-2">
            <Button onClick={() => void move(index - 1)} disabled={index === 0 || lane.classOfService === 'expedite' || aboveIsExpedite} aria-label={`Move ${lane.name} up`}>
              ↑ Up
            </Button>
            <Button onClick={() => void move(index + 1)} disabled={index >= count - 1 || lane.classOfService === 'expedite'} aria-label={`Move ${lane.name} down`}>
              ↓ Down
            </Button>
          </span>
          <span className="flex gap-2">
            {confirmRemove ? null : (
              <Button variant="dangerGhost" onClick={() => setConfirmRemove(true)} disabled={count <= 1} data-testid="lane-remove">
                Remove…
              </Button>
            )}
            <Button type="submit" variant="primary" data-testid="lane-save">
              Save lane
            </Button>
          </span>
        </div>
        {confirmRemove ? (
          <div className="flex flex-wrap items-center justify-between gap-2 rounded-lg bg-rose-50 p-2 ring-1 ring-rose-200" role="alertdialog" aria-label={`Remove the ${lane.name} lane?`}>
            <span className="text-sm text-rose-900">
              Remove the {lane.name} lane?{cards > 0 ? ` It still holds ${cards} card${cards === 1 ? '' : 's'}: move them first.` : ''}
            </span>
            <span className="flex gap-2">
              <Button onClick={() => setConfirmRemove(false)} autoFocus>
                Keep it
              </Button>
              <Button variant="danger" onClick={() => void remove()} data-testid="lane-remove-confirm">
                Remove
              </Button>
            </span>
          </div>
        ) : null}
      </form>
    </li>
  );
}

/** A lane's class of service, as both the new lane's form and a lane's row choose it. */
function ClassSelect({ id, value, onChange, disabled, testId }: { id: string; value: ClassOfService; onChange(kind: ClassOfService): void; disabled?: boolean; testId: string }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as ClassOfService)} className={inputClass} disabled={disabled} data-testid={testId}>
      {CLASSES_OF_SERVICE.map((c) => (
        <option key={c} value={c}>
          {CLASS_LABELS[c]}
        </option>
      ))}
    </select>
  );
}
