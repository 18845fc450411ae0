'use client';
import { useId, useState, type FormEvent } from 'react';
import type { ColumnDTO } from '../../lib/shared/domain/types';
import { LIMITS } from '../../lib/shared/domain/limits';
import { parseColumnName, parseWipLimit } from '../../lib/client/forms';
import { plural } from '../../lib/client/format';
import type { ColumnChanges } from '../../lib/client/useBoardActions';
import type { Ack } from '../../lib/shared/protocol';
import { Button } from '../ui/Button';
import { Field, FormError, inputClass } from '../ui/Field';
import { Modal } from '../ui/Modal';

interface ColumnDialogProps {
  column: ColumnDTO;
  index: number;
  columnCount: number;
  cardCount: number;
  /** Cards in its done half, when split (those the board has loaded). */
  doneCount: number;
  onSave(changes: ColumnChanges): void;
  onMove(toIndex: number): void;
  onRemove(): Promise<Ack>;
  onClose(): void;
}

/** Settings of one work center: name, WIP limit, place in the stream, removal. */
export function ColumnDialog({ column, index, columnCount, cardCount, doneCount, onSave, onMove, onRemove, onClose }: ColumnDialogProps) {
  const [name, setName] = useState(column.name);
  const [limit, setLimit] = useState(column.wipLimit === null ? '' : String(column.wipLimit));
  const [error, setError] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [split, setSplit] = useState(column.split);
  const ids = { name: useId(), limit: useId(), split: useId() };
  // The first and the last work centers are no steps of progress: there is nothing to wait in (lib/shared/domain/split.ts).
  const edge = index === 0 || index === columnCount - 1;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsedName = parseColumnName(name);
    if (!parsedName.ok) return setError(parsedName.message);
    const parsedLimit = parseWipLimit(limit);
    if (!parsedLimit.ok) return setError(parsedLimit.message);
    const changes: ColumnChanges = {};
    if (parsedName.value !== column.name) changes.name = parsedName.value;
    if (parsedLimit.value !== column.wipLimit) changes.wipLimit = parsedLimit.value;
    if (split !== column.split) {
      // The server refuses it too; said here, the dialog stays open on the reason.
      if (!split && doneCount > 0) return setError(`${column.name} still holds ${plural(doneCount, 'card')} in its done half: move them on or back to doing before joining the halves`);
      changes.split = split;
    }
    if (Object.keys(changes).length > 0) onSave(changes);
    onClose();
  };

  const remove = async () => {
    setRemoving(true);
    const ack = await onRemove();
    setRemoving(false);
    if (ack.ok) onClose();
    else {
      setConfirmRemove(false);
      setError(ack.message);
    }
  };

  return (
    <Modal
      title={`${column.name} settings`}
      description={`Work center ${index + 1} of ${columnCount} · holds ${plural(cardCount, 'card')}`}
      onClose={onClose}
      testId="column-dialog"
    >
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label="Name" htmlFor={ids.name}>
          <input
            id={ids.name}
            autoFocus
            value={name}
            maxLength={LIMITS.columnName}
            onChange={(e) => setName(e.target.value)}
            className={inputClass}
            data-testid="column-name-input"
          />
        </Field>
        <Field label="WIP limit" htmlFor={ids.limit} hint="Pulls into a full work center are refused. Leave empty for no limit.">
          <div className="flex gap-2">
            <input
              id={ids.limit}
              type="number"
              inputMode="numeric"
              min={1}
              max={LIMITS.wipLimitMax}
              value={limit}
              placeholder="No limit"
              onChange={(e) => setLimit(e.target.value)}
              className={inputClass}
              data-testid="column-wip-input"
            />
            <Button onClick={() => setLimit('')} disabled={limit === ''} data-testid="column-wip-clear">
              No limit
            </Button>
          </div>
        </Field>
        <div className="space-y-1 rounded-lg bg-slate-50 p-3">
          <label htmlFor={ids.split} className="flex items-center gap-2 text-sm font-medium text-slate-800">
            <input
              id={ids.split}
              type="checkbox"
              checked={split}
              disabled={edge && !column.split}
              onChange={(e) => setSplit(e.target.checked)}
              aria-describedby={`${ids.split}-hint`}
              className="size-4 accent-sky-700"
              data-testid="column-split-input"
            />
            Split into doing and done
          </label>
          <p id={`${ids.split}-hint`} className="text-xs text-slate-600">
            {edge && !column.split
              ? `Only a work center between the first and the last can be split: ${column.name} is the ${index === 0 ? 'first' : 'last'}.`
              : 'Cards finished here move to the done half and wait there for the next work center to pull them, so waiting shows apart from work. The WIP limit counts both halves.'}
          </p>
        </div>
        <FormError message={error} testId="column-dialog-error" />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" data-testid="column-save">
            Save
          </Button>
        </div>
      </form>
      <div className="mt-5 space-y-3 border-t border-slate-200 pt-4">
        <div className="flex items-center justify-between gap-2">
          <span className="text-sm text-slate-600">Place in the value stream</span>
          <span className="flex gap-2">
            <Button onClick={() => onMove(index - 1)} disabled={index === 0} data-testid="column-move-left">
              ← Earlier
            </Button>
            <Button onClick={() => onMove(index + 1)} disabled={index >= columnCount - 1} data-testid="column-move-right">
              Later →
            </Button>
          </span>
        </div>
        {confirmRemove ? (
          <div className="flex flex-wrap items-center justify-between gap-2 rounded-lg bg-rose-50 p-3 ring-1 ring-rose-200">
            <span className="text-sm text-rose-900">Remove {column.name} from the board?</span>
            <span className="flex gap-2">
              <Button onClick={() => setConfirmRemove(false)}>Keep it</Button>
              <Button variant="danger" onClick={() => void remove()} disabled={removing} data-testid="column-remove-confirm">
                {removing ? 'Removing…' : 'Remove'}
              </Button>
            </span>
          </div>
        ) : (
          <Button variant="dangerGhost" onClick={() => setConfirmRemove(true)} data-testid="column-remove">
            Remove work center…
          </Button>
        )}
      </div>
    </Modal>
  );
}
