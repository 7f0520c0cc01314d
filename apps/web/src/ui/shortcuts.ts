'use client';
import { useEffect, useRef } from 'react';

export interface Shortcut {
  /** `q`, `/`, `x`, `Delete`, `1`, `g i` (a sequence), `mod+k` (Ctrl or ⌘) */
  keys: string;
  description: string;
  run: (e: KeyboardEvent) => void;
}

/** What `?` lists. The handlers live where the state is; this is the one list of what exists. */
export const shortcutHelp: { keys: string; description: string }[] = [
  { keys: 'q', description: 'Quick add' },
  { keys: '/', description: 'Search tasks' },
  { keys: 'j / k', description: 'Next / previous task' },
  { keys: 'x', description: 'Complete the selected task' },
  { keys: 'e or Enter', description: 'Edit the selected task' },
  { keys: 'Delete', description: 'Delete the selected task' },
  { keys: '1 – 4', description: 'Priority P1 – P4 for the selected task' },
  { keys: 'g then i / t / u', description: 'Go to Inbox / Today / Upcoming' },
  { keys: 'Ctrl+K', description: 'Command palette' },
  { keys: '?', description: 'This list' },
  { keys: 'Esc', description: 'Close a panel or dialog' },
];

/** Inputs that take typed text; a focused checkbox or button leaves the keyboard to the shortcuts. */
const textInputs = new Set([
  'text',
  'search',
  'email',
  'password',
  'number',
  'url',
  'tel',
  'date',
  'time',
  'datetime-local',
  'month',
  'week',
]);

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'INPUT') return textInputs.has((el as HTMLInputElement).type);
  return tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

/**
 * Global single-key shortcuts that never fire while the user types in a field or while a modal dialog is
 * open (the dialog owns the keyboard then); `mod+k` works everywhere.
 */
export function useShortcuts(shortcuts: Shortcut[]): void {
  const ref = useRef(shortcuts);
  ref.current = shortcuts;
  useEffect(() => {
    let prefix: string | null = null;
    let prefixTimer: ReturnType<typeof setTimeout> | undefined;
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'k') {
        const s = ref.current.find((x) => x.keys === 'mod+k');
        if (s) {
          e.preventDefault();
          s.run(e);
        }
        return;
      }
      if (mod || e.altKey || e.defaultPrevented || typing(e.target)) return;
      if (document.querySelector('dialog[open], [aria-modal="true"]')) return;
      const key = e.key;
      if (prefix) {
        const seq = `${prefix} ${key}`;
        prefix = null;
        clearTimeout(prefixTimer);
        const s = ref.current.find((x) => x.keys === seq);
        if (s) {
          e.preventDefault();
          s.run(e);
        }
        return;
      }
      if (ref.current.some((x) => x.keys.startsWith(`${key} `))) {
        prefix = key;
        prefixTimer = setTimeout(() => {
          prefix = null;
        }, 1500);
        return;
      }
      const s = ref.current.find((x) => x.keys === key);
      if (s) {
        e.preventDefault();
        s.run(e);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
