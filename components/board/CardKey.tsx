'use client';
import { createContext, use, useMemo, type ReactNode } from 'react';
import type { AutomationRefusal, ColumnDTO } from '../../lib/shared/domain/types';

/**
 * What a card needs of its board to show its key and a refused automated move: the board's key
 * prefix and its work centers' names. A context, not props: the thousand memoized cards of a board
 * redraw when the prefix changes (rarely), not on every change of the board.
 */
interface CardKeys {
  prefix: string;
  workCenterName(id: string): string;
}

const CardKeysContext = createContext<CardKeys>({ prefix: '', workCenterName: () => 'a work center' });

export function CardKeysProvider({ prefix, columns, children }: { prefix: string; columns: readonly ColumnDTO[]; children: ReactNode }) {
  const names = useMemo(() => columns.map((c) => `${c.id}\u0000${c.name}`).join('\u0001'), [columns]);
  const value = useMemo(() => {
    const byId = new Map(names.split('\u0001').map((pair) => pair.split('\u0000') as [string, string]));
    return { prefix, workCenterName: (id: string) => byId.get(id) ?? 'a removed work center' };
  }, [prefix, names]);
  return <CardKeysContext value={value}>{children}</CardKeysContext>;
}

export const useCardKeys = () => use(CardKeysContext);

/** The card's key, small and monospaced (PAY-42); nothing for a card the server has not numbered yet. */
export function CardKey({ number }: { number: number }) {
  const { prefix } = useCardKeys();
  if (number <= 0 || prefix === '') return null;
  return <span className="card-key">{`${prefix}-${number}`}</span>;
}

/** The sentence a refused automated move is shown with, on the card and in its dialog. */
export function refusalText(refusal: AutomationRefusal, workCenterName: (id: string) => string): string {
  return `${refusal.hookName} could not move it to ${workCenterName(refusal.toColumnId)}: ${refusal.message}`;
}

/** A warning on the card: a pipeline's move was refused (a full work center, say). Cleared by the card's next move. */
export function RefusalBadge({ cardId, refusal }: { cardId: string; refusal: AutomationRefusal }) {
  const { workCenterName } = useCardKeys();
  return (
    <p data-testid={`card-refusal-${cardId}`} className="card-refusal" title={refusalText(refusal, workCenterName)}>
      <span aria-hidden>⚠ </span>
      <span className="font-semibold">Not moved</span> to {workCenterName(refusal.toColumnId)} ({refusal.code === 'WIP_LIMIT' ? 'WIP limit' : refusal.code}) by {refusal.hookName}
    </p>
  );
}
