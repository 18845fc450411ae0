'use client';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState, type FormEvent } from 'react';
import { LIMITS, VALUE_STREAM_TEMPLATE } from '../../lib/shared/domain/limits';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { parseNewBoard } from '../../lib/client/forms';
import { Button } from '../ui/Button';
import { Field, FormError, inputClass } from '../ui/Field';
import { TemplateEditor, type EditableRow } from './TemplateEditor';

type CreateResponse = { board: BoardSnapshot } | { error: { code: string; message: string } };

function templateRows(): EditableRow[] {
  return VALUE_STREAM_TEMPLATE.map((c, key) => ({ key, name: c.name, wipLimit: c.wipLimit === null ? '' : String(c.wipLimit) }));
}

export function CreateBoardForm() {
  const router = useRouter();
  const [name, setName] = useState('');
  const [rows, setRows] = useState<EditableRow[]>(templateRows);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nextKey = useRef(VALUE_STREAM_TEMPLATE.length);
  const nameId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseNewBoard(name, rows);
    if (!parsed.ok) return setError(parsed.message);
    setError(null);
    setBusy(true);
    try {
      const res = await fetch('/api/boards', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(parsed.value),
      });
      const body = (await res.json().catch(() => null)) as CreateResponse | null;
      if (res.ok && body && 'board' in body) {
        router.push(`/boards/${body.board.id}`);
        return;
      }
      setError(body && 'error' in body ? body.error.message : `The server refused the board (HTTP ${res.status})`);
    } catch {
      setError('Could not reach the server. Check the connection and try again.');
    }
    setBusy(false);
  };

  return (
    <form onSubmit={submit} className="space-y-5 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="create-board-form" noValidate>
      <Field label="Board name" htmlFor={nameId}>
        <input
          id={nameId}
          value={name}
          maxLength={LIMITS.boardName}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. Payments value stream"
          className={inputClass}
          data-testid="create-board-name"
        />
      </Field>
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-700">Work centers, in the order work flows</legend>
        <p className="mb-3 text-xs text-slate-500">
          Leave a WIP limit empty for no limit. A full work center refuses pulls until something moves on.
        </p>
        <TemplateEditor rows={rows} onChange={setRows} newKey={() => nextKey.current++} />
      </fieldset>
      <FormError message={error} testId="create-board-error" />
      <div className="flex items-center justify-between gap-3">
        <button type="button" onClick={() => setRows(templateRows())} className="text-sm text-slate-500 hover:text-slate-800">
          Reset to the template
        </button>
        <Button type="submit" variant="primary" disabled={busy} data-testid="create-board-submit" className="px-4 py-2">
          {busy ? 'Creating…' : 'Create board'}
        </Button>
      </div>
    </form>
  );
}
