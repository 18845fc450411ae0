'use client';
import Link from 'next/link';
import { useId, useState, useSyncExternalStore, type FormEvent } from 'react';
import { Button } from '../ui/Button';
import { Field, FormError, inputClass } from '../ui/Field';

interface Problem {
  line: number;
  reason: string;
}

type State =
  | { kind: 'idle' }
  | { kind: 'uploading'; percent: number }
  | { kind: 'importing'; percent: number }
  | { kind: 'done'; boardId: string; items: number; notMembers: string[] }
  | { kind: 'failed'; message: string; problems: Problem[] };

const noSubscription = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * Uploads a work-item history CSV as a new board. XMLHttpRequest rather than fetch: it reports
 * upload progress, which is most of the wait for a large file.
 */
export function ImportForm() {
  const zone = useSyncExternalStore(noSubscription, browserZone, () => 'UTC');
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [tz, setTz] = useState<string | null>(null);
  const [attributes, setAttributes] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const ids = { file: useId(), name: useId(), tz: useId(), attributes: useId() };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return setState({ kind: 'failed', message: 'Choose a CSV file first', problems: [] });
    const form = new FormData();
    form.set('file', file);
    form.set('name', name.trim() || file.name.replace(/\.csv$/i, ''));
    form.set('tz', tz ?? zone);
    if (attributes.trim()) form.set('attributes', attributes);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/import/csv');
    // Progress of the writing comes back as NDJSON lines while the board is written in slices.
    xhr.setRequestHeader('accept', 'application/x-ndjson');
    const lastLine = (): Record<string, unknown> | null => {
      const lines = xhr.responseText.split('\n').filter(Boolean);
      try {
        return lines.length ? (JSON.parse(lines.at(-1) as string) as Record<string, unknown>) : null;
      } catch {
        return null;
      }
    };
    xhr.addEventListener('progress', () => {
      const line = lastLine();
      if (xhr.status === 201 && typeof line?.progress === 'number') setState({ kind: 'importing', percent: Math.round(line.progress * 100) });
    });
    xhr.upload.addEventListener('progress', (ev) => {
      if (ev.lengthComputable) setState({ kind: 'uploading', percent: Math.round((ev.loaded / ev.total) * 100) });
    });
    xhr.upload.addEventListener('load', () => setState({ kind: 'importing', percent: 0 }));
    xhr.addEventListener('load', () => {
      const body = (lastLine() ?? {}) as { done?: { boardId: string; items: number; people?: { notMembers: string[] } }; error?: { message: string; details?: Problem[] } };
      if (xhr.status === 201 && body.done) setState({ kind: 'done', boardId: body.done.boardId, items: body.done.items, notMembers: body.done.people?.notMembers ?? [] });
      else setState({ kind: 'failed', message: body.error?.message ?? `The server answered ${xhr.status}`, problems: body.error?.details ?? [] });
    });
    xhr.addEventListener('error', () => setState({ kind: 'failed', message: 'The upload failed: check the connection and try again', problems: [] }));
    setState({ kind: 'uploading', percent: 0 });
    xhr.send(form);
  };

  const busy = state.kind === 'uploading' || state.kind === 'importing';
  return (
    <form onSubmit={submit} className="space-y-4" data-testid="import-form">
      <Field
        label="CSV file"
        htmlFor={ids.file}
        hint="First column the item ID, then optional Link and Name, one column per work center in workflow order with the date it was entered (YYYY-MM-DD or YYYY-MM-DD HH:mm), then attributes such as Type."
      >
        <input id={ids.file} type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} className={inputClass} data-testid="import-file" />
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Board name" htmlFor={ids.name} hint="Defaults to the file name">
          <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} className={inputClass} maxLength={80} data-testid="import-name" />
        </Field>
        <Field label="Time zone of the dates" htmlFor={ids.tz}>
          <input id={ids.tz} value={tz ?? zone} onChange={(e) => setTz(e.target.value)} className={inputClass} data-testid="import-tz" />
        </Field>
      </div>
      <Field label="Extra attribute columns (optional)" htmlFor={ids.attributes} hint="Comma-separated headers that are not work centers, beyond the usual Type, Blocked Days, Labels…">
        <input id={ids.attributes} value={attributes} onChange={(e) => setAttributes(e.target.value)} className={inputClass} />
      </Field>
      {state.kind === 'uploading' || state.kind === 'importing' ? (
        <div role="status" className="space-y-1" data-testid="import-progress">
          <p className="text-sm text-slate-700">
            {state.kind === 'uploading' ? `Uploading… ${state.percent}%` : state.percent === 0 ? 'Checking every row…' : `Writing the history… ${state.percent}%`}
          </p>
          <div className="h-2 rounded bg-slate-200">
            <div className={`h-2 rounded transition-all ${state.kind === 'uploading' ? 'bg-sky-400' : 'bg-emerald-600'}`} style={{ width: `${state.percent}%` }} />
          </div>
        </div>
      ) : null}
      {state.kind === 'failed' ? (
        <div className="space-y-2" data-testid="import-errors">
          <FormError message={state.message} />
          {state.problems.length ? (
            <ul className="max-h-64 overflow-y-auto rounded-lg bg-white p-2 text-sm ring-1 ring-slate-200">
              {state.problems.map((p, i) => (
                <li key={i} className="border-b border-slate-100 py-1 last:border-0">
                  {p.line > 0 ? <span className="mr-2 font-mono text-xs text-slate-500">line {p.line}</span> : null}
                  {p.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {state.kind === 'done' ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200" data-testid="import-done">
          Imported {state.items} items.{' '}
          <Link className="font-semibold underline" href={`/boards/${state.boardId}/flow`}>
            See its flow
          </Link>{' '}
          or{' '}
          <Link className="font-semibold underline" href={`/boards/${state.boardId}`}>
            open the board
          </Link>
          .
          {state.notMembers.length > 0 ? (
            <span className="mt-1 block" data-testid="import-not-members">
              Not members of the new board, kept as text on their cards: {state.notMembers.slice(0, 10).join(', ')}
              {state.notMembers.length > 10 ? ` and ${state.notMembers.length - 10} more` : ''}. Invite them, then assign them from each card.
            </span>
          ) : null}
        </p>
      ) : null}
      <div className="flex justify-end">
        <Button type="submit" variant="primary" disabled={busy} data-testid="import-submit">
          Import as a new board
        </Button>
      </div>
    </form>
  );
}
