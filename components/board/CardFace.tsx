import { memo } from 'react';
import type { CardDTO } from '../../lib/domain/types';
import { plural, shortAge } from '../../lib/client/format';
import { useNow } from '../../lib/client/useNow';
import { CARD_TYPE_STYLE } from './cardStyle';
import { AgingMark } from '../flow/FlowMarks';

interface CardFaceProps {
  card: CardDTO;
  movingBy?: string | undefined;
  /** Shown in the drag overlay. No transforms here: the keyboard sensor measures this box. */
  lifted?: boolean;
}

/** What a card shows at standup distance: type, title, blocked, defects, age in its work center. */
/**
 * Reads the clock itself: the minute tick, and the first render after hydration (the server renders
 * no ages), then redraw a thousand of these labels instead of a thousand cards.
 */
function TimeInColumn({ since }: { since: string }) {
  const now = useNow();
  if (now === null) return null;
  return (
    <span className="ml-auto whitespace-nowrap tabular-nums text-slate-500" title="Time in this work center">
      {shortAge(since, now)}
    </span>
  );
}

/** Memoized: a board redraws on every move and presence change; a card face only when its card does. */
export const CardFace = memo(function CardFace({ card, movingBy, lifted = false }: CardFaceProps) {
  const type = CARD_TYPE_STYLE[card.type];
  return (
    <div
      className={`rounded-lg border-l-4 px-2.5 py-2 ${type.edge} ${
        card.blocked ? 'bg-rose-50 ring-1 ring-rose-300' : 'bg-white ring-1 ring-slate-200'
      } ${lifted ? 'shadow-xl ring-2 ring-sky-500' : 'shadow-sm'} ${movingBy ? 'outline-2 outline-offset-1 outline-amber-400 outline-dashed' : ''}`}
    >
      <div className="flex flex-wrap items-center gap-x-1.5 gap-y-1 text-xs">
        <span data-testid={`card-type-${card.id}`} className={`rounded px-1.5 py-0.5 font-semibold whitespace-nowrap ${type.chip}`}>
          {type.label}
        </span>
        {card.defectCount > 0 ? (
          <span
            data-testid={`defect-badge-${card.id}`}
            data-count={card.defectCount}
            title={`Sent back ${plural(card.defectCount, 'time')}: a defect was passed downstream`}
            className="rounded bg-rose-600 px-1.5 py-0.5 font-bold whitespace-nowrap text-white"
          >
            <span aria-hidden>↩ </span>
            {card.defectCount}
            <span className="sr-only"> {card.defectCount === 1 ? 'defect' : 'defects'}</span>
          </span>
        ) : null}
        <AgingMark cardId={card.id} />
        <TimeInColumn since={card.enteredColumnAt} />
      </div>
      {/* wrap-anywhere, not break-words: a pasted URL must not widen every column of the board. */}
      <p className="mt-1 line-clamp-3 text-[0.9rem] leading-snug font-medium wrap-anywhere text-slate-900">{card.title}</p>
      {card.blocked ? (
        <p data-testid={`card-blocked-${card.id}`} className="mt-1.5 rounded bg-rose-600 px-1.5 py-0.5 text-xs font-medium wrap-anywhere text-white">
          <span className="font-bold tracking-wide uppercase">Blocked</span>
          {card.blockedReason ? <span className="font-normal">: {card.blockedReason}</span> : null}
        </p>
      ) : null}
      {movingBy ? (
        <p data-testid={`being-moved-${card.id}`} className="mt-1.5 text-xs font-medium text-amber-800">
          <span aria-hidden className="mr-1 inline-block size-2 animate-pulse rounded-full bg-amber-500" />
          being moved by {movingBy}
        </p>
      ) : null}
    </div>
  );
});
