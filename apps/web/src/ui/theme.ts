'use client';
import { useCallback, useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';

/** Runs before first paint (inline in <head>) so a dark page never flashes light. */
export const themeBootScript =
  "try{var t=localStorage.getItem('theme');var d=t==='dark'||(t!=='light'&&matchMedia('(prefers-color-scheme: dark)').matches);document.documentElement.classList.toggle('dark',d)}catch(e){}";

function apply(choice: ThemeChoice): void {
  const dark =
    choice === 'dark' || (choice === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
}

/** Dark mode follows the system unless the user picked light or dark. */
export function useTheme(): [ThemeChoice, (c: ThemeChoice) => void, boolean] {
  const [choice, setChoice] = useState<ThemeChoice>('system');
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const saved = localStorage.getItem('theme');
    setChoice(saved === 'light' || saved === 'dark' ? saved : 'system');
    setDark(document.documentElement.classList.contains('dark'));
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => {
      const c = localStorage.getItem('theme');
      if (c !== 'light' && c !== 'dark') apply('system');
      setDark(document.documentElement.classList.contains('dark'));
    };
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  const set = useCallback((c: ThemeChoice) => {
    if (c === 'system') localStorage.removeItem('theme');
    else localStorage.setItem('theme', c);
    apply(c);
    setChoice(c);
    setDark(document.documentElement.classList.contains('dark'));
  }, []);
  return [choice, set, dark];
}
