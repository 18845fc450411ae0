'use client';
import { useMemo } from 'react';
import { boardActions, type BoardActions } from './boardActions';
import type { BoardSync } from './useBoardSync';

export type { ColumnChanges, BoardActions } from './boardActions';

/** The board's actions, stable while the board and its sync engine are. */
export function useBoardActions(boardId: string, mutate: BoardSync['mutate']): BoardActions {
  return useMemo(() => boardActions(boardId, mutate), [boardId, mutate]);
}
