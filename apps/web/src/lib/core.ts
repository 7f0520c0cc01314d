'use client';
import { useSyncExternalStore } from 'react';

/**
 * The domain core (quick-add parser, recurrence words, filter parser) loads after the first paint: it
 * carries a Temporal polyfill and an RRULE engine that the first view does not need to be usable.
 */
type Core = typeof import('@taskstream/core');

let core: Core | null = null;
let loading: Promise<Core> | null = null;
const listeners = new Set<() => void>();

export function loadCore(): Promise<Core> {
  loading ??= import('@taskstream/core').then((m) => {
    core = m;
    for (const l of listeners) l();
    return m;
  });
  return loading;
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  void loadCore();
  return () => listeners.delete(onChange);
}

/** The core once loaded (null before); components re-render when it arrives. */
export function useCore(): Core | null {
  return useSyncExternalStore(
    subscribe,
    () => core,
    () => null,
  );
}
