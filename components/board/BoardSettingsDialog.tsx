'use client';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { LIMITS } from '../../lib/shared/domain/limits';
import { KEY_PREFIX_PATTERN, KEY_PREFIX_RULE } from '../../lib/shared/domain/keys';
import { parseBoardName, parseColumnName, parseWipLimit } from '../../lib/client/forms';
import { Button } from '../ui/Button';
import { Field, FormError, inputClass } from '../ui/Field';
import { Modal } from '../ui/Modal';

interface BoardSettingsDialogProps {
  boardName: string;
  columnCount: number;
  focus: 'rename' | 'add-column';
  onRename(name: string): void;
  onAddColumn(name: string, wipLimit: number | null): void;
  /** The most cards in progress one person may hold (db/store/people.ts); null: no limit. */
  personWipLimit?: number | null;
  onSetPersonWipLimit?: (limit: number | null) => void;
  /** The prefix of the board's card keys (lib/shared/domain/keys.ts). */
  keyPrefix?: string;
  onSetKeyPrefix?: (prefix: string) => void;
  onClose(): void;
  /** More sections (the lanes: LaneSettings). */
  children?: ReactNode;
}

/** Rename the board, or add a work center at the end of the value stream. */
export function BoardSettingsDialog({ boardName, columnCount, focus, onRename, onAddColumn, personWipLimit = null, onSetPersonWipLimit, keyPrefix, onSetKeyPrefix, onClose, children }: BoardSettingsDialogProps) {
  const [name, setName] = useState(boardName);
  const [renameError, setRenameError] = useState<string | null>(null);
  const [columnName, setColumnName] = useState('');
  const [limit, setLimit] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  const ids = { name: useId(), column: useId(), limit: useId() };
  const full = columnCount >= LIMITS.columnsPerBoard;

  const rename = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseBoardName(name);
    if (!parsed.ok) return setRenameError(parsed.message);
    if (parsed.value !== boardName) onRename(parsed.value);
    onClose();
  };

  const add = (e: FormEvent) => {
    e.preventDefault();
    const parsedName = parseColumnName(columnName);
    if (!parsedName.ok) return setAddError(parsedName.message);
    const parsedLimit = parseWipLimit(limit);
    if (!parsedLimit.ok) return setAddError(parsedLimit.message);
    onAddColumn(parsedName.value, parsedLimit.value);
    onClose();
  };

  return (
    <Modal title="Board settings" onClose={onClose} testId="board-settings-dialog">
      <form onSubmit={rename} className="space-y-3">
        <Field label="Board name" htmlFor={ids.name}>
          <input
            id={ids.name}
            autoFocus={focus === 'rename'}
            data-autofocus={focus === 'rename' || undefined}
            value={name}
            maxLength={LIMITS.boardName}
            onChange={(e) => setName(e.target.value)}
            className={inputClass}
            data-testid="board-name-input"
          />
        </Field>
        <FormError message={renameError} />
        <div className="flex justify-end">
          <Button type="submit" variant="primary" data-testid="board-rename-save">
            Rename board
          </Button>
        </div>
      </form>
      {onSetPersonWipLimit ? <PersonWipLimitForm current={personWipLimit} onSave={onSetPersonWipLimit} onClose={onClose} /> : null}
      {onSetKeyPrefix && keyPrefix ? <KeyPrefixForm current={keyPrefix} onSave={onSetKeyPrefix} onClose={onClose} /> : null}
      <form onSubmit={add} className="mt-5 space-y-3 border-t border-slate-200 pt-4" noValidate>
        <h3 className="text-sm font-semibold text-slate-800">Add a work center at the end</h3>
        {full ? <p className="text-sm text-slate-600">A board holds at most {LIMITS.columnsPerBoard} work centers.</p> : null}
        <div className="grid grid-cols-[minmax(0,1fr)_7rem] gap-2">
          <Field label="Name" htmlFor={ids.column}>
            <input
              id={ids.column}
              autoFocus={focus === 'add-column'}
              data-autofocus={focus === 'add-column' || undefined}
              value={columnName}
              maxLength={LIMITS.columnName}
              onChange={(e) => setColumnName(e.target.value)}
              placeholder="e.g. Review"
              className={inputClass}
              disabled={full}
              data-testid="new-column-name-input"
            />
          </Field>
          <Field label="WIP limit" htmlFor={ids.limit}>
            <input
              id={ids.limit}
              type="number"
              min={1}
              max={LIMITS.wipLimitMax}
              value={limit}
              placeholder="None"
              onChange={(e) => setLimit(e.target.value)}
              className={inputClass}
              disabled={full}
              data-testid="new-column-wip-input"
            />
          </Field>
        </div>
        <FormError message={addError} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Close</Button>
          <Button type="submit" variant="primary" disabled={full} data-testid="new-column-save">
            Add work center
          </Button>
        </div>
      </form>
      {children}
    </Modal>
  );
}

/** The per-person WIP limit: how many cards one person may hold between the first and the last work center. */
function PersonWipLimitForm({ current, onSave, onClose }: { current: number | null; onSave(limit: number | null): void; onClose(): void }) {
  const [value, setValue] = useState(current === null ? '' : String(current));
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const hint = useId();
  const save = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseWipLimit(value);
    if (!parsed.ok) return setError(parsed.message);
    if (parsed.value !== current) onSave(parsed.value);
    onClose();
  };
  return (
    <form onSubmit={save} className="mt-5 space-y-3 border-t border-slate-200 pt-4" noValidate>
      <div className="flex items-end gap-2">
        <div className="flex-1">
          <Field label="Cards in progress per person" htmlFor={id} hint={<span id={hint}>Work in the first and last work centers does not count. Empty: no limit.</span>}>
            <input
              id={id}
              type="number"
              min={1}
              max={LIMITS.wipLimitMax}
              value={value}
              placeholder="None"
              aria-describedby={hint}
              onChange={(e) => setValue(e.target.value)}
              className={inputClass}
              data-testid="person-wip-input"
            />
          </Field>
        </div>
        <Button type="submit" variant="primary" data-testid="person-wip-save">
          Set limit
        </Button>
      </div>
      <FormError message={error} />
    </form>
  );
}

/** The prefix of the board's card keys: PAY-42 reads PAYM-42 once it is changed (the numbers stay). */
function KeyPrefixForm({ current, onSave, onClose }: { current: string; onSave(prefix: string): void; onClose(): void }) {
  const [value, setValue] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const hint = useId();
  const save = (e: FormEvent) => {
    e.preventDefault();
    const prefix = value.trim().toUpperCase();
    if (!KEY_PREFIX_PATTERN.test(prefix)) return setError(KEY_PREFIX_RULE);
    if (prefix !== current) onSave(prefix);
    onClose();
  };
  return (
    <form onSubmit={save} className="mt-5 space-y-3 border-t border-slate-200 pt-4" noValidate>
      <div className="flex items-end gap-2">
        <div className="flex-1">
          <Field
            label="Card key prefix"
            htmlFor={id}
            hint={
              <span id={hint}>
                Cards are {current}-1, {current}-2…; a pipeline finds them by their key in a branch or commit message. Changing it keeps the numbers.
              </span>
            }
          >
            <input
              id={id}
              value={value}
              maxLength={10}
              aria-describedby={hint}
              aria-invalid={error ? true : undefined}
              onChange={(e) => setValue(e.target.value)}
              className={`${inputClass} font-mono uppercase`}
              data-testid="key-prefix-input"
            />
          </Field>
        </div>
        <Button type="submit" variant="primary" data-testid="key-prefix-save">
          Set prefix
        </Button>
      </div>
      <FormError message={error} />
    </form>
  );
}
