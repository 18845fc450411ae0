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
  onSave(changes: ColumnChanges): void;
  onMove(toIndex: number): void;
  onRemove(): Promise<Ack>;
  onClose(): void;
}

/** Settings of one work center: name, WIP limit, place in the stream, removal. */
export function ColumnDialog({ column, index, columnCount, cardCount, onSave, onMove, onRemove, onClose }: ColumnDialogProps) {
  const [name, setName] = useState(column.name);
  const [limit, setLimit] = useState(column.wipLimit === null ? '' : String(column.wipLimit));
  const [error, setError] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [removing, setRemoving] = useState(false);
  const ids = { name: useId(), limit: useId() };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsedName = parseColumnName(name);
    if (!parsedName.ok) return setError(parsedName.message);
    const parsedLimit = parseWipLimit(limit);
    if (!parsedLimit.ok) return setError(parsedLimit.message);
    const changes: ColumnChanges = {};
    if (parsedName.value !== column.name) changes.name = parsedName.value;
    if (parsedLimit.value !== column.wipLimit) changes.wipLimit = parsedLimit.value;
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
