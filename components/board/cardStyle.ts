import type { CardType } from '../../lib/domain/types';

/** One colour per card type, used for the chip and the card's left edge. */
export const CARD_TYPE_STYLE: Record<CardType, { chip: string; edge: string; label: string }> = {
  feature: { chip: 'bg-sky-100 text-sky-900', edge: 'border-l-sky-500', label: 'Feature' },
  defect: { chip: 'bg-rose-100 text-rose-900', edge: 'border-l-rose-500', label: 'Defect' },
  incident: { chip: 'bg-orange-100 text-orange-900', edge: 'border-l-orange-500', label: 'Incident' },
  feedback: { chip: 'bg-violet-100 text-violet-900', edge: 'border-l-violet-500', label: 'Feedback' },
  chore: { chip: 'bg-slate-200 text-slate-800', edge: 'border-l-slate-400', label: 'Chore' },
};
