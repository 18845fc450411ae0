'use client';
import { useState } from 'react';
import { CLASSES_OF_SERVICE, type ClassOfService } from '../shared/domain/types';

export interface LaneFilterState {
  lane?: string;
  class?: ClassOfService;
}

/**
 * The flow pages' lane or class of service, kept in the address (`?lane=` or `?class=`) so a view
 * can be shared and reloaded as it is. `value` is the select's (`lane:<id>`, `class:<class>`, '');
 * `query` the search part another flow page's link carries, so moving between them keeps the filter.
 */
export function useLaneFilter(initial: { lane?: string; class?: string }) {
  const [filter, setFilter] = useState<LaneFilterState>(() =>
    initial.lane ? { lane: initial.lane } : (CLASSES_OF_SERVICE as readonly string[]).includes(initial.class ?? '') ? { class: initial.class as ClassOfService } : {},
  );
  const pick = (value: string) => {
    const at = value.indexOf(':');
    const [kind, id] = [value.slice(0, at), value.slice(at + 1)];
    const next: LaneFilterState = kind === 'lane' ? { lane: id } : kind === 'class' ? { class: id as ClassOfService } : {};
    setFilter(next);
    const url = new URL(window.location.href);
    url.searchParams.delete('lane');
    url.searchParams.delete('class');
    if (next.lane) url.searchParams.set('lane', next.lane);
    if (next.class) url.searchParams.set('class', next.class);
    window.history.replaceState(null, '', url);
  };
  const value = filter.lane ? `lane:${filter.lane}` : filter.class ? `class:${filter.class}` : '';
  const query = filter.lane ? `?lane=${encodeURIComponent(filter.lane)}` : filter.class ? `?class=${filter.class}` : '';
  return { filter, value, query, pick };
}
