'use client';
import type { ReactNode } from 'react';
import type { CardDTO } from '../../lib/shared/domain/types';
import { plural, shortAge } from '../../lib/client/format';
import { useClock } from '../../lib/client/useNow';
import { CARD_TYPE_LABEL } from './cardStyle';
import { MINUTE_MS, blockedTimeOf, formatBlockedTime } from '../../lib/shared/domain/blocked';
import { agingMark, useAging } from '../flow/FlowMarks';
import { CardAvatars } from './People';
import { CardKey, RefusalBadge } from './CardKey';

/** The classes of a card's box (see .card in globals.css): its type's colour and its state. */
export function cardClass(card: CardDTO, movingBy: string | undefined, lifted = false): string {
  let name = `card type-${card.type}`;
  if (card.blocked) name += ' is-blocked';
  if (movingBy) name += ' is-moving';
  if (lifted) name += ' is-lifted';
  return name;
}

/**
 * What changes with time on a card: its aging mark and its age. Each redraws only when what it shows
 * changes ("3d" stays "3d" for a day), so a minute tick or a new read of the marks redraws a few of
 * these, not a thousand cards.
 *
 * One age on the face: time in this work center. It is what a standup asks of a card in a column
 * ("why is this still here?"), every card has one (backlog and done too), and the server knows it
 * when it draws the page. The aging mark measures the same time (FlowMarks' agingOf); the age since
 * commitment, the flow page's measure, is in the card's dialog.
 */
function CardClock({ cardId, since, blocked }: { cardId: string; since: string; blocked: ReactNode }) {
  const age = useClock((now) => shortAge(since, now));
  const aging = useAging(cardId, since);
  return (
    <>
      {agingMark(cardId, aging)}
      {/* Blocked time and age as one group on the right, wrapping together when the line is full. */}
      <span className="card-times">
        {blocked}
        {age === null ? null : (
          <span className="card-age-label" title="Time in this work center">
            <span className="card-age">{age}</span> here
          </span>
        )}
      </span>
    </>
  );
}

/** Blocked time so far (closed intervals plus the open one), live from the card's own data. */
function BlockedTime({ card }: { card: CardDTO }) {
  const text = useClock((now) => formatBlockedTime(blockedTimeOf(card, now)));
  if (text === null || (card.blockedSince === null && card.blockedMs < MINUTE_MS)) return null;
  return (
    <span data-testid={`blocked-time-${card.id}`} className="card-blocked-time" title="Time this card has been blocked, in total">
      blocked {text}
    </span>
  );
}

/**
 * What a card shows at standup distance: type, title, blocked, defects, time in its work center.
 * A function, not a component: the board draws a thousand of these inside DraggableCard's memo.
 */
export function cardContent(card: CardDTO, movingBy: string | undefined) {
  return (
    <>
      <div className="card-meta">
        <CardKey number={card.number} />
        <span className="card-chip">{CARD_TYPE_LABEL[card.type]}</span>
        {card.parentId ? (
          <span data-testid={`split-mark-${card.id}`} className="whitespace-nowrap text-slate-600" title="Split from a larger card: its dialog names it">
            split
          </span>
        ) : null}
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
        <CardClock cardId={card.id} since={card.enteredColumnAt} blocked={card.blocked || card.blockedMs > 0 ? <BlockedTime card={card} /> : null} />
      </div>
      {/* wrap-anywhere, not break-words: a pasted URL must not widen every column of the board. */}
      <p className="card-title">{card.title}</p>
      {card.assigneeIds.length > 0 ? (
        <div className="mt-1.5 flex justify-end">
          <CardAvatars cardId={card.id} ids={card.assigneeIds} />
        </div>
      ) : null}
      {card.blocked ? (
        <p data-testid={`card-blocked-${card.id}`} className="mt-1.5 rounded bg-rose-600 px-1.5 py-0.5 text-xs font-medium wrap-anywhere text-white">
          <span className="font-bold tracking-wide uppercase">Blocked</span>
          {card.blockedReason ? <span className="font-normal">: {card.blockedReason}</span> : null}
        </p>
      ) : null}
      {card.automationRefusal ? <RefusalBadge cardId={card.id} refusal={card.automationRefusal} /> : null}
      {movingBy ? (
        <p data-testid={`being-moved-${card.id}`} className="mt-1.5 text-xs font-medium text-amber-800">
          <span aria-hidden className="mr-1 inline-block size-2 animate-pulse rounded-full bg-amber-500" />
          being moved by {movingBy}
        </p>
      ) : null}
    </>
  );
}

/** A card on its own, as the drag overlay shows it under the pointer. No transforms: the keyboard sensor measures this box. */
export function CardFace({ card, lifted = false }: { card: CardDTO; lifted?: boolean }) {
  return (
    <div className={cardClass(card, undefined, lifted)} data-card-type={card.type}>
      {cardContent(card, undefined)}
    </div>
  );
}
