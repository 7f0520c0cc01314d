'use client';
import { type RefObject, useEffect, useRef, useState } from 'react';

/** A popover's open state; a press outside its box closes it. */
export function usePopover<T extends HTMLElement>(): [
  boolean,
  (open: boolean | ((o: boolean) => boolean)) => void,
  RefObject<T | null>,
] {
  const [open, setOpen] = useState(false);
  const box = useRef<T>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  return [open, setOpen, box];
}
