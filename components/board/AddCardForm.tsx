'use client';
import { useId, useState, type FormEvent } from 'react';
import { LIMITS } from '../../lib/shared/domain/limits';

interface AddCardFormProps {
  columnId: string;
  columnName: string;
  onAdd(title: string): void;
  prominent: boolean;
  /** Set when the work center is at its WIP limit: new work waits until something moves on. */
  refusal: string | null;
}

/**
 * The protocol's schemas (and zod) load with the first form opened, not with the board: a tenth of
 * the board's script that its first draw does not need.
 */
const loadProtocol = () => import('../../lib/shared/protocol');

/** "+ Add card" at the foot of a work center. Stays open after adding, for a burst of new work. */
export function AddCardForm({ columnId, columnName, onAdd, prominent, refusal }: AddCardFormProps) {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();

  if (!open && refusal) {
    return (
      <button
        type="button"
        disabled
        title={refusal}
        data-testid={`add-card-${columnId}`}
        className="w-full cursor-not-allowed rounded-lg px-2 py-1.5 text-left text-xs text-slate-600"
      >
        Full: finish work before starting more<span className="sr-only"> in {columnName}. {refusal}</span>
      </button>
    );
  }

  if (!open) {
    return (
      <button
        type="button"
        onClick={() => {
          void loadProtocol();
          setOpen(true);
        }}
        data-testid={`add-card-${columnId}`}
        className={`w-full rounded-lg px-2 py-1.5 text-left text-sm font-medium ${
          prominent ? 'text-sky-800 hover:bg-sky-100' : 'text-slate-600 hover:bg-slate-300/50 hover:text-slate-800'
        }`}
      >
        + Add card<span className="sr-only"> to {columnName}</span>
      </button>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { schemas } = await loadProtocol();
    const parsed = schemas.cardCreate.shape.title.safeParse(title);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'A card needs a title');
      return;
    }
    onAdd(parsed.data);
    setTitle('');
    setError(null);
  };

  const close = () => {
    setOpen(false);
    setTitle('');
    setError(null);
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="space-y-1.5 rounded-lg bg-white p-2 shadow-sm ring-1 ring-slate-300">
      <label htmlFor={inputId} className="sr-only">
        Title of the new card in {columnName}
      </label>
      <input
        id={inputId}
        autoFocus
        value={title}
        maxLength={LIMITS.cardTitle}
        onChange={(e) => {
          setTitle(e.target.value);
          if (error) setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            close();
          }
        }}
        placeholder="What needs doing?"
        data-testid={`new-card-title-${columnId}`}
        aria-invalid={error !== null}
        className="w-full rounded border border-slate-300 px-2 py-1 text-sm focus:border-sky-600 focus:outline-none"
      />
      {error ? (
        <p role="alert" className="text-xs text-rose-700">
          {error}
        </p>
      ) : null}
      <div className="flex gap-1.5">
        <button type="submit" data-testid={`new-card-submit-${columnId}`} className="rounded bg-sky-700 px-2 py-1 text-xs font-semibold text-white hover:bg-sky-800">
          Add card
        </button>
        <button type="button" onClick={close} className="rounded px-2 py-1 text-xs text-slate-600 hover:bg-slate-100">
          Cancel
        </button>
      </div>
    </form>
  );
}
