import type { CardType } from '../../lib/shared/domain/types';

/**
 * What each card type is called. Its colours (a card's left edge, its chip) live in the stylesheet
 * only, under `.type-<type>` (app/globals.css).
 */
export const CARD_TYPE_LABEL: Record<CardType, string> = {
  feature: 'Feature',
  defect: 'Defect',
  incident: 'Incident',
  feedback: 'Feedback',
  chore: 'Chore',
};
