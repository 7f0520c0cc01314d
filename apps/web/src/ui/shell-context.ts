'use client';
import { createContext, type RefObject, useContext } from 'react';
import type { QuickAddHandle } from './quick-add';

export interface ShellState {
  timeZone: string;
  /** opens the task panel */
  openTask(id: string): void;
  q: string;
  setQ(q: string): void;
  /** the view's quick-add box registers itself here, so `q` reaches it */
  quickAddRef: RefObject<QuickAddHandle | null>;
}

export const ShellContext = createContext<ShellState | null>(null);

export function useShell(): ShellState {
  const s = useContext(ShellContext);
  if (!s) throw new Error('useShell outside the app shell');
  return s;
}
