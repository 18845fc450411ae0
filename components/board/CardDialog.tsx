'use client';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { refusalText, useCardKeys } from './CardKey';
import { CARD_TYPES, type CardDTO, type CardType, type ColumnDTO, type LaneDTO } from '../../lib/shared/domain/types';
import { LIMITS } from '../../lib/shared/domain/limits';
import { columnName } from '../../lib/client/boardView';
import { plural, shortAge } from '../../lib/client/format';
import { useClock } from '../../lib/client/useNow';
import { useCommittedAt } from '../flow/FlowMarks';
import type { CardChanges } from '../../lib/client/optimistic';
import type { FlowSocket } from '../../lib/client/socket';
import { describeIssues, schemas, type Ack } from '../../lib/shared/protocol';
import { SplitCardForm } from './SplitCardForm';
import { Button } from '../ui/Button';
import { Field, FormError, inputClass } from '../ui/Field';
import { Modal } from '../ui/Modal';
import { CardHistory } from './CardHistory';
import { PeoplePicker } from './People';
import { CARD_TYPE_LABEL } from './cardStyle';
import { Markdown } from '../ui/Markdown';

interface CardDialogProps {
  card: CardDTO;
  columns: readonly ColumnDTO[];
  /** The board's lanes: the card's lane is named when it has more than one. */
  lanes?: readonly LaneDTO[];
  socket: FlowSocket | null;
  onSave(changes: CardChanges): void;
  onDelete(): void;
  /** Replaces the card by smaller ones (SplitCardForm); absent where a card cannot be split (the last work center). */
  onSplit?(titles: string[]): Promise<Ack>;
  onClose(): void;
  returnFocus(): HTMLElement | null;
  /** A viewer sees every field and the history, and changes nothing. */
  readOnly?: boolean;
}

/** Only the fields that differ from the card: the server logs exactly what changed. */
function diff(card: CardDTO, draft: Required<CardChanges>): CardChanges {
  const changes: CardChanges = {};
  if (draft.title.trim() !== card.title) changes.title = draft.title.trim();
  if (draft.description !== card.description) changes.description = draft.description;
  if (draft.type !== card.type) changes.type = draft.type;
  if (draft.blocked !== card.blocked) changes.blocked = draft.blocked;
  const reason = draft.blocked ? draft.blockedReason?.trim() || null : null;
  if (reason !== card.blockedReason) changes.blockedReason = reason;
  if (draft.assigneeIds.join('\n') !== card.assigneeIds.join('\n')) changes.assigneeIds = draft.assigneeIds;
  return changes;
}

/** Time in this work center (the face's age and its aging mark) and, for a card in progress, the age since commitment. */
function CardAges({ card, columns }: { card: CardDTO; columns: readonly ColumnDTO[] }) {
  const here = useClock((now) => shortAge(card.enteredColumnAt, now));
  const committedAt = useCommittedAt(card.id);
  const sinceCommitment = useClock((now) => (committedAt === null ? null : shortAge(new Date(committedAt).toISOString(), now)));
  return (
    <p className="mb-4 text-sm text-slate-600" data-testid="card-ages">
      <span data-testid="card-age-here">
        {here} in {columnName(columns, card.columnId)}
      </span>
      {sinceCommitment === null ? null : (
        <>
          {' · '}
          <span data-testid="card-age-committed">{sinceCommitment} since commitment</span>
          {committedAt === null ? null : <CardForecast card={card} committedAt={committedAt} />}
        </>
      )}
    </p>
  );
}

/** `2026-03-13` → `Fri 13 Mar`. */
function shortDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

/**
 * A started card's likely finish (GET /forecast/card/:cardId, docs/metrics.md "Forecasts"): the 85th
 * percentile of the cycle times of the last 30 days' finished cards at least as old as it, less its age.
 */
function CardForecast({ card, committedAt }: { card: CardDTO; committedAt: number }) {
  const [answer, setAnswer] = useState<{ cardId: string; date: string | null; note: string | null } | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    void fetch(`/api/boards/${encodeURIComponent(card.boardId)}/forecast/card/${encodeURIComponent(card.id)}?tz=${encodeURIComponent(tz)}`, { cache: 'no-store', signal: abort.signal })
      .then(async (res) => {
        const body = (await res.json()) as { percentiles?: Record<string, string | null>; warnings?: { code: string; message: string }[] };
        // A card not started or already finished has nothing to forecast: the dialog says nothing.
        if (!res.ok || body.warnings?.some((w) => w.code === 'NOT_STARTED' || w.code === 'FINISHED')) return;
        setAnswer({ cardId: card.id, date: body.percentiles?.['85'] ?? null, note: body.warnings?.[0]?.message ?? null });
      })
      .catch(() => {});
    return () => abort.abort();
    // Asked again when the card moves or its commitment changes, though the request does not name them.
    // oxlint-disable-next-line react-hooks/exhaustive-deps
  }, [card.boardId, card.id, card.columnId, committedAt]);
  if (!answer || answer.cardId !== card.id) return null;
  return (
    <>
      {' · '}
      <span data-testid="card-forecast" title={answer.note ?? undefined}>
        {answer.date ? `likely done by ${shortDate(answer.date)} (85%)` : 'older than any recently finished card: no forecast'}
      </span>
    </>
  );
}

export function CardDialog({ card, columns, lanes = [], socket, onSave, onDelete, onSplit, onClose, returnFocus, readOnly = false }: CardDialogProps) {
  const keys = useCardKeys();
  const [draft, setDraft] = useState<Required<CardChanges>>({
    title: card.title,
    description: card.description,
    type: card.type,
    blocked: card.blocked,
    blockedReason: card.blockedReason ?? '',
    assigneeIds: card.assigneeIds,
  });
  const [error, setError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [splitting, setSplitting] = useState(false);
  // A child of a split names its parent: the title comes with the history (the parent is off the board).
  const [parentTitle, setParentTitle] = useState<string | null>(null);
  const ids = { title: useId(), description: useId(), reason: useId() };
  const changes = diff(card, draft);
  const dirty = Object.keys(changes).length > 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!dirty) return onClose();
    const parsed = schemas.cardUpdate.safeParse({ cardId: card.id, ...changes });
    if (!parsed.success) {
      setError(describeIssues(parsed.error));
      return;
    }
    onSave(changes);
    onClose();
  };

  return (
    <Modal
      title={card.title}
      description={
        <span>
          {keys.prefix && card.number > 0 ? (
            <>
              <span data-testid="card-key" className="font-mono font-medium">{`${keys.prefix}-${card.number}`}</span> ·{' '}
            </>
          ) : null}
          In <strong>{columnName(columns, card.columnId)}</strong>
          {card.stage === 'done' ? <span data-testid="card-stage"> · done, waiting to be pulled</span> : null}
          {lanes.length > 1 ? (
            <span>
              {' '}
              · <span data-testid="card-lane">{lanes.find((l) => l.id === card.laneId)?.name ?? 'a removed'} lane</span>
            </span>
          ) : null}
          {card.defectCount > 0 ? <span className="text-rose-700"> · sent back {plural(card.defectCount, 'time')}</span> : null}
          {card.parentId ? (
            <span data-testid="card-split-from">
              {' '}
              · split from {parentTitle === null ? 'a larger card' : <strong>“{parentTitle}”</strong>}
            </span>
          ) : null}
        </span>
      }
      onClose={onClose}
      testId="card-dialog"
      returnFocus={returnFocus}
      size="lg"
    >
      {card.automationRefusal ? (
        <p role="note" data-testid="card-dialog-refusal" className="mb-4 rounded-lg border border-amber-500 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          <span aria-hidden>⚠ </span>
          {refusalText(card.automationRefusal, keys.workCenterName)} <span className="text-amber-900">({card.automationRefusal.code})</span>. It stays here until
          someone, or the pipeline, moves it.
        </p>
      ) : null}
      <CardAges card={card} columns={columns} />
      <div className="grid gap-6 md:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        {splitting && onSplit ? (
          <SplitCardForm
            card={card}
            onSplit={onSplit}
            onCancel={() => {
              setSplitting(false);
              requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="card-split"]')?.focus());
            }}
          />
        ) : (
        <form onSubmit={submit} className="space-y-4">
          <fieldset disabled={readOnly} className="space-y-4">
          <Field label="Title" htmlFor={ids.title}>
            <input
              id={ids.title}
              value={draft.title}
              maxLength={LIMITS.cardTitle}
              onChange={(e) => setDraft({ ...draft, title: e.target.value })}
              className={inputClass}
              data-testid="card-title-input"
            />
          </Field>
          <fieldset>
            <legend className="mb-1 text-sm font-medium text-slate-700">Type</legend>
            <div className="flex flex-wrap gap-1.5">
              {CARD_TYPES.map((type: CardType) => (
                <label
                  key={type}
                  className={`cursor-pointer rounded-lg px-2.5 py-1 text-sm font-medium ring-1 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-sky-600 ${
                    draft.type === type ? `type-${type} type-chip ring-slate-500` : 'bg-white text-slate-600 ring-slate-200'
                  }`}
                >
                  <input
                    type="radio"
                    name="card-type"
                    value={type}
                    checked={draft.type === type}
                    onChange={() => setDraft({ ...draft, type })}
                    className="sr-only"
                    data-testid={`card-type-option-${type}`}
                  />
                  {CARD_TYPE_LABEL[type]}
                </label>
              ))}
            </div>
          </fieldset>
          <PeoplePicker value={draft.assigneeIds} onChange={(assigneeIds) => setDraft({ ...draft, assigneeIds })} />
          <Field label="Description" htmlFor={ids.description}>
            <textarea
              id={ids.description}
              rows={4}
              value={draft.description}
              maxLength={LIMITS.cardDescription}
              onChange={(e) => setDraft({ ...draft, description: e.target.value })}
              className={inputClass}
              data-testid="card-description-input"
            />
          </Field>
          {draft.description.trim() ? (
            <div className="rounded-lg bg-white p-3 ring-1 ring-slate-200">
              <p className="mb-1 text-xs font-medium tracking-wide text-slate-500 uppercase">Preview (Markdown)</p>
              <Markdown source={draft.description} testId="card-description-preview" />
            </div>
          ) : null}
          <div className="space-y-2 rounded-lg bg-slate-50 p-3">
            <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
              <input
                type="checkbox"
                checked={draft.blocked}
                onChange={(e) => setDraft({ ...draft, blocked: e.target.checked })}
                className="size-4 accent-rose-600"
                data-testid="card-blocked-input"
              />
              Blocked
            </label>
            {draft.blocked ? (
              <Field label="What is it waiting for?" htmlFor={ids.reason}>
                <input
                  id={ids.reason}
                  value={draft.blockedReason ?? ''}
                  maxLength={LIMITS.reason}
                  onChange={(e) => setDraft({ ...draft, blockedReason: e.target.value })}
                  className={inputClass}
                  data-testid="card-blocked-reason-input"
                />
              </Field>
            ) : null}
          </div>
          </fieldset>
          <FormError message={error} />
          {readOnly ? (
            <div className="flex justify-end">
              <Button onClick={onClose}>Close</Button>
            </div>
          ) : (
          <div className="flex flex-wrap items-center justify-between gap-2">
            {confirmDelete ? (
              <span className="flex items-center gap-2 text-sm">
                <span className="text-rose-800">Delete this card?</span>
                <Button variant="danger" onClick={onDelete} data-testid="card-delete-confirm">
                  Delete
                </Button>
                <Button onClick={() => setConfirmDelete(false)}>Keep</Button>
              </span>
            ) : (
              <Button variant="dangerGhost" onClick={() => setConfirmDelete(true)} data-testid="card-delete">
                Delete card…
              </Button>
            )}
            {onSplit && !confirmDelete ? (
              <Button onClick={() => setSplitting(true)} data-testid="card-split">
                Split card…
              </Button>
            ) : null}
            <span className="flex gap-2">
              <Button onClick={onClose}>Cancel</Button>
              <Button type="submit" variant="primary" disabled={!dirty} data-testid="card-save">
                Save
              </Button>
            </span>
          </div>
          )}
        </form>
        )}
        <section aria-label="History">
          <h3 className="mb-2 text-sm font-semibold text-slate-700">History</h3>
          <CardHistory
            cardId={card.id}
            revision={card.updatedAt}
            columns={columns}
            socket={socket}
            blocked={card}
            lanes={lanes}
            onLoaded={card.parentId ? (entries) => setParentTitle(entries.find((e) => e.parentId === card.parentId)?.parentTitle ?? null) : undefined}
          />
        </section>
      </div>
    </Modal>
  );
}
