'use client';
import { useId, useRef, useState, type FormEvent } from 'react';
import { LIMITS } from '../../lib/shared/domain/limits';
import { SPLIT_MAX_CHILDREN, SPLIT_MIN_CHILDREN, defaultSplitTitles } from '../../lib/shared/domain/cardSplit';
import type { CardDTO } from '../../lib/shared/domain/types';
import { describeIssues, schemas, type Ack } from '../../lib/shared/protocol';
import { Button } from '../ui/Button';
import { FormError, inputClass } from '../ui/Field';

let rowSeq = 0;
const row = (title: string) => ({ key: `row-${++rowSeq}`, title });

/**
 * "Split card…": the titles of the smaller cards that replace this one (docs/api.md "Splitting a
 * card"), then a confirmation, then the server's answer. A refusal (a WIP limit, usually) stays here
 * with the titles as typed; a split closes the dialog as the board draws the new cards.
 */
export function SplitCardForm({ card, onSplit, onCancel }: { card: CardDTO; onSplit(titles: string[]): Promise<Ack>; onCancel(): void }) {
  const [rows, setRows] = useState(() => defaultSplitTitles(card.title, SPLIT_MIN_CHILDREN, LIMITS.cardTitle).map(row));
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const ids = { heading: useId(), hint: useId(), error: useId() };
  const titles = rows.map((r) => r.title.trim());

  const focusRow = (index: number) => requestAnimationFrame(() => listRef.current?.querySelectorAll('input')[index]?.focus());
  const add = () => {
    setRows([...rows, row(`${card.title.slice(0, LIMITS.cardTitle - 5).trimEnd()} (${rows.length + 1})`)]);
    setConfirming(false);
    focusRow(rows.length);
  };
  const remove = (index: number) => {
    setRows(rows.filter((_, i) => i !== index));
    setConfirming(false);
    focusRow(Math.max(0, index - 1));
  };

  const review = (e: FormEvent) => {
    e.preventDefault();
    const parsed = schemas.cardSplit.safeParse({ cardId: card.id, titles });
    if (!parsed.success) {
      setError(describeIssues(parsed.error));
      return;
    }
    setError(null);
    setConfirming(true);
    requestAnimationFrame(() => confirmRef.current?.querySelector<HTMLButtonElement>('[data-testid="split-confirm"]')?.focus());
  };

  const split = async () => {
    setSending(true);
    const ack = await onSplit(titles);
    setSending(false);
    if (!ack.ok) {
      setConfirming(false);
      setError(ack.message);
    }
  };

  return (
    <form onSubmit={review} className="space-y-3" aria-labelledby={ids.heading} aria-describedby={ids.hint} data-testid="split-form">
      <h3 id={ids.heading} className="text-sm font-semibold text-slate-800">
        Split “{card.title}”
      </h3>
      <p id={ids.hint} className="text-sm text-slate-600">
        Smaller cards flow faster. The new cards replace this one in its work center and lane, with its type and people, and each keeps a link to it: {SPLIT_MIN_CHILDREN} to{' '}
        {SPLIT_MAX_CHILDREN} cards.
      </p>
      <ol ref={listRef} className="space-y-2" data-testid="split-rows">
        {rows.map((r, i) => (
          <li key={r.key} className="flex items-center gap-2">
            <label htmlFor={`${ids.heading}-${r.key}`} className="w-24 shrink-0 text-sm text-slate-700">
              New card {i + 1}
            </label>
            <input
              id={`${ids.heading}-${r.key}`}
              value={r.title}
              maxLength={LIMITS.cardTitle}
              onChange={(e) => {
                setRows(rows.map((x) => (x.key === r.key ? { ...x, title: e.target.value } : x)));
                setConfirming(false);
              }}
              className={inputClass}
              data-testid="split-title-input"
              aria-invalid={error !== null && r.title.trim() === '' ? true : undefined}
            />
            <Button
              variant="ghost"
              onClick={() => remove(i)}
              disabled={rows.length <= SPLIT_MIN_CHILDREN}
              aria-label={`Remove new card ${i + 1}`}
              title={rows.length <= SPLIT_MIN_CHILDREN ? `A split makes at least ${SPLIT_MIN_CHILDREN} cards` : undefined}
              data-testid="split-remove-row"
            >
              ✕
            </Button>
          </li>
        ))}
      </ol>
      <Button onClick={add} disabled={rows.length >= SPLIT_MAX_CHILDREN} data-testid="split-add-row">
        Add a card
      </Button>
      <FormError message={error} id={ids.error} testId="split-error" />
      {confirming ? (
        <div ref={confirmRef} className="flex flex-wrap items-center justify-between gap-2 rounded-lg bg-amber-50 p-3 ring-1 ring-amber-200" data-testid="split-confirm-row">
          <span className="text-sm text-amber-900">
            Replace this card by {rows.length} cards? The card leaves the board; its history stays.
          </span>
          <span className="flex gap-2">
            <Button onClick={() => setConfirming(false)} disabled={sending}>
              Keep editing
            </Button>
            <Button variant="primary" onClick={() => void split()} disabled={sending} data-testid="split-confirm">
              {sending ? 'Splitting…' : `Split into ${rows.length}`}
            </Button>
          </span>
        </div>
      ) : (
        <div className="flex justify-end gap-2">
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant="primary" data-testid="split-review">
            Split into {rows.length} cards…
          </Button>
        </div>
      )}
    </form>
  );
}
