'use client';
import { CLASS_LABELS } from '../../lib/shared/domain/lanes';
import { CLASSES_OF_SERVICE } from '../../lib/shared/domain/types';

/**
 * The flow pages' choice of one lane or one class of service (`lane:<id>` or `class:<class>`, ''
 * for all), shown once the board has more than one lane or a filter is already chosen.
 */
export function LaneFilterSelect({ value, lanes, onChange }: { value: string; lanes: readonly { id: string; name: string }[]; onChange(value: string): void }) {
  if (lanes.length <= 1 && !value) return null;
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} className="rounded bg-slate-800 px-1.5 py-1 text-slate-100" aria-label="Lane or class of service" data-testid="lane-filter">
      <option value="">All lanes</option>
      <optgroup label="Class of service">
        {CLASSES_OF_SERVICE.map((c) => (
          <option key={c} value={`class:${c}`}>
            {CLASS_LABELS[c]} work
          </option>
        ))}
      </optgroup>
      <optgroup label="Lane">
        {lanes.map((l) => (
          <option key={l.id} value={`lane:${l.id}`}>
            {l.name} lane
          </option>
        ))}
      </optgroup>
    </select>
  );
}
