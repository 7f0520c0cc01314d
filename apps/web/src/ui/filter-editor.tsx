'use client';
import { useState } from 'react';
import type { SavedFilter } from '../api/types';
import { useSavedFilters } from '../data/filters';
import { loadCore } from '../lib/core';
import { Dialog } from './dialog';

/** What the form hands over; the server keeps the id. */
export type FilterFields = Pick<SavedFilter, 'name' | 'query'>;
/** A problem to show under the query; `at` places a caret under the query text. */
type Problem = { message: string; at?: number };

/** Checks a filter with the core parser (the server's own); the error says where, with a caret under it. */
async function check(query: string, timeZone: string): Promise<Problem | null> {
  const { DomainError, parseFilter } = await loadCore();
  try {
    parseFilter(query, { now: new Date(), timeZone });
    return null;
  } catch (err) {
    if (err instanceof DomainError) {
      const d = err.details as { position?: number; offset?: number } | { position?: number }[] | undefined;
      const first = Array.isArray(d) ? d[0] : d;
      const at =
        (first as { position?: number; offset?: number } | undefined)?.position ??
        (first as { offset?: number } | undefined)?.offset ??
        0;
      return { message: err.message, at };
    }
    return { message: (err as Error).message, at: 0 };
  }
}

export function FilterEditor({
  open,
  initial,
  timeZone,
  onSave,
  onClose,
}: {
  open: boolean;
  initial?: SavedFilter;
  timeZone: string;
  onSave: (f: FilterFields) => void;
  onClose: () => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} label={initial ? 'Edit filter' : 'Add filter'}>
      <FilterForm initial={initial} timeZone={timeZone} onSave={onSave} onClose={onClose} />
    </Dialog>
  );
}

function FilterForm({
  initial,
  timeZone,
  onSave,
  onClose,
}: {
  initial?: SavedFilter;
  timeZone: string;
  onSave: (f: FilterFields) => void;
  onClose: () => void;
}) {
  const saved = useSavedFilters().data ?? [];
  const [name, setName] = useState(initial?.name ?? '');
  const [query, setQuery] = useState(initial?.query ?? '');
  const [error, setError] = useState<Problem | null>(null);
  const field =
    'mt-1 block w-full rounded-md border border-zinc-400 bg-white px-3 py-2 font-mono text-sm dark:border-zinc-600 dark:bg-zinc-950';
  return (
    <form
      className="space-y-3 p-5"
      onSubmit={async (e) => {
        e.preventDefault();
        const trimmed = name.trim();
        // names are unique per user ignoring case, as the server holds them
        const taken = saved.some(
          (f) => f.id !== initial?.id && f.name.toLowerCase() === trimmed.toLowerCase(),
        );
        const problem = taken
          ? { message: 'A saved filter with this name already exists' }
          : await check(query, timeZone);
        setError(problem);
        if (problem || !trimmed) return;
        onSave({ name: trimmed, query: query.trim() });
        onClose();
      }}
    >
      <h2 className="text-lg font-semibold">{initial ? 'Edit filter' : 'Add filter'}</h2>
      <label className="block text-sm font-medium">
        Filter name
        <input
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
          required
          maxLength={100}
          className={field}
        />
      </label>
      <label className="block text-sm font-medium">
        Filter query
        <input
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setError(null);
          }}
          required
          aria-invalid={error !== null}
          aria-describedby="filter-help filter-error"
          placeholder="(today | overdue) & #work & p1"
          className={field}
        />
      </label>
      {error && (
        <div
          id="filter-error"
          role="alert"
          className="rounded-md bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          <p>{error.message}</p>
          {error.at !== undefined && (
            <pre className="mt-1 overflow-x-auto font-mono text-xs">
              {query}
              {'\n'}
              {' '.repeat(Math.max(0, error.at))}^
            </pre>
          )}
        </div>
      )}
      <p id="filter-help" className="text-xs text-zinc-600 dark:text-zinc-400">
        Terms: today, overdue, no date, recurring, p1–p4, #tag, +list, search: words, due before: friday, next
        7 days; combine with &amp;, |, ! and parentheses.
      </p>
      <div className="flex justify-end gap-2">
        <button type="button" onClick={onClose} className="rounded-md px-3 py-1.5 text-sm">
          Cancel
        </button>
        <button
          type="submit"
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white"
        >
          Save filter
        </button>
      </div>
    </form>
  );
}
