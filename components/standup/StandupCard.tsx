'use client';
import { memo } from 'react';
import { CLASS_LABELS } from '../../lib/shared/domain/lanes';
import type { CardDTO, LaneDTO } from '../../lib/shared/domain/types';
import { ageAgainstPercentiles, assigneesOf, blockerLine, type Person } from '../../lib/shared/standup';
import type { StandupMarks } from '../../lib/client/useStandupMarks';

interface StandupCardProps {
  card: CardDTO;
  highlighted: boolean;
  now: number;
  marks: StandupMarks | null;
  people: ReadonlyMap<string, Person>;
  /** The card's lane: a class of service other than standard is named on the card. */
  lane?: LaneDTO;
  /** The work center's name, shown in the people walk (where one person's cards come from several). */
  columnName?: string;
  onSelect(cardId: string): void;
}

/**
 * One card in the walk, for a screen across the room: the title large, then its age against the
 * board's cycle times, who holds it, and what blocks it.
 */
export const StandupCard = memo(function StandupCard({ card, highlighted, now, marks, people, lane, columnName, onSelect }: StandupCardProps) {
  const committedAt = marks?.committedAt.get(card.id);
  const start = committedAt ?? Date.parse(card.createdAt);
  const age = ageAgainstPercentiles(now - start, committedAt !== undefined, marks?.percentiles ?? null, marks?.sampleSize ?? 0);
  const assignees = assigneesOf(card).map((id) => people.get(id)?.name ?? id);
  const blocker = blockerLine(card, now);
  const aging = age.includes('past');
  return (
    <li data-standup-card={card.id} className="list-none">
      <button
        type="button"
        onClick={() => onSelect(card.id)}
        aria-current={highlighted ? 'true' : undefined}
        className={`w-full rounded-xl border-l-8 px-4 py-3 text-left transition-colors focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-sky-300 ${
          card.blocked ? 'border-rose-400 bg-rose-950/70' : 'border-slate-500 bg-slate-800'
        } ${highlighted ? 'ring-4 ring-sky-300' : 'ring-1 ring-slate-700'}`}
        data-testid={`standup-card-${card.id}`}
        data-highlighted={highlighted}
      >
        <span className="block text-[1.4rem] leading-tight font-semibold text-white sm:text-[1.75rem]">{card.title}</span>
        <span className="mt-1.5 flex flex-wrap gap-x-4 gap-y-1 text-base text-slate-200 sm:text-xl">
          <span className={aging ? 'font-semibold text-amber-200' : undefined} data-testid={`standup-age-${card.id}`}>
            <span className="sr-only">Age: </span>
            {committedAt === undefined ? `${age} since created` : age}
          </span>
          {lane && lane.classOfService !== 'standard' ? (
            <span className={`rounded px-2 font-semibold ${lane.classOfService === 'expedite' ? 'bg-rose-200 text-rose-950' : 'bg-slate-200 text-slate-900'}`} data-testid={`standup-class-${card.id}`}>
              {CLASS_LABELS[lane.classOfService]}
            </span>
          ) : null}
          {columnName ? <span className="text-slate-300">in {columnName}</span> : null}
          {/* In a split work center's done half: finished there, waiting for the next one to pull it. */}
          {card.stage === 'done' ? (
            <span className="rounded bg-slate-200 px-2 font-semibold text-slate-900" data-testid={`standup-stage-${card.id}`}>
              done, waiting
            </span>
          ) : null}
          {assignees.length > 0 ? <span>{assignees.join(', ')}</span> : null}
          {card.defectCount > 0 ? <span className="text-amber-200">↩ {card.defectCount} defect{card.defectCount === 1 ? '' : 's'}</span> : null}
        </span>
        {blocker ? (
          <span className="mt-1.5 block text-base font-semibold text-rose-200 sm:text-xl" data-testid={`standup-blocker-${card.id}`}>
            {blocker}
          </span>
        ) : null}
      </button>
    </li>
  );
});
