'use client';
import type { SavedFilter } from './shell-context';

/** Saved filters live in this browser, per account (the API has no saved-filter resource yet). */
export function loadFilters(userId: string): SavedFilter[] {
  try {
    const raw = JSON.parse(localStorage.getItem(`filters:${userId}`) ?? '[]') as unknown;
    return Array.isArray(raw)
      ? raw.filter(
          (f): f is SavedFilter =>
            typeof f?.id === 'string' && typeof f?.name === 'string' && typeof f?.query === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

export function storeFilters(userId: string, filters: SavedFilter[]): void {
  localStorage.setItem(`filters:${userId}`, JSON.stringify(filters));
}
