'use client';
import type { QuickAddSpan } from '@taskstream/core';
import { forwardRef, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../api/http';
import type { Task } from '../api/types';
import { useTaskActions } from '../data/tasks';
import { useCore } from '../lib/core';
import { CloseIcon } from './icons';

export interface Range {
  start: number;
  end: number;
}

const kindStyle: Record<string, string> = {
  date: 'bg-sky-200 dark:bg-sky-800',
  time: 'bg-sky-200 dark:bg-sky-800',
  recurrence: 'bg-violet-200 dark:bg-violet-800',
  priority: 'bg-red-200 dark:bg-red-800',
  tag: 'bg-emerald-200 dark:bg-emerald-800',
  list: 'bg-amber-200 dark:bg-amber-800',
  reminder: 'bg-orange-200 dark:bg-orange-800',
  description: 'bg-zinc-200 dark:bg-zinc-700',
};

/**
 * Keeps ranges the user made plain in step with an edit: ranges after the edit move with it, ranges the
 * edit touches are dropped (their text changed, so the user's choice no longer applies).
 */
export function shiftRanges(ranges: Range[], before: string, after: string): Range[] {
  let pre = 0;
  while (pre < before.length && pre < after.length && before[pre] === after[pre]) pre++;
  let suf = 0;
  while (
    suf < before.length - pre &&
    suf < after.length - pre &&
    before[before.length - 1 - suf] === after[after.length - 1 - suf]
  )
    suf++;
  const oldEnd = before.length - suf;
  const delta = after.length - before.length;
  return ranges.flatMap((r) => {
    if (r.end <= pre) return [r];
    if (r.start >= oldEnd) return [{ start: r.start + delta, end: r.end + delta }];
    return [];
  });
}

export interface QuickAddHandle {
  focus(): void;
}

/**
 * The quick-add box. The core parser runs on every keystroke and the recognised parts are highlighted in a
 * mirror behind the input; a click on a highlight, its chip below, or Backspace right after it turns it back
 * into plain title text, and the server is told the same (`ignore`), so it creates what the user saw.
 */
export const QuickAdd = forwardRef<
  QuickAddHandle,
  { timeZone: string; into?: { listId?: string; dueDate?: string }; onAdded?: (t: Task) => void }
>(function QuickAdd({ timeZone, into, onAdded }, ref) {
  const [text, setText] = useState('');
  const [ignore, setIgnore] = useState<Range[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const mirror = useRef<HTMLDivElement>(null);
  const { quickAdd } = useTaskActions();
  useImperativeHandle(ref, () => ({ focus: () => input.current?.focus() }), []);

  const core = useCore();
  const parsed = useMemo(
    () => (core && text.trim() ? core.parseQuickAdd(text, { now: new Date(), timeZone, ignore }) : null),
    [core, text, timeZone, ignore],
  );
  const spans = useMemo(
    () =>
      [...(parsed?.spans ?? [])].filter((s) => s.kind !== 'description').sort((a, b) => a.start - b.start),
    [parsed],
  );

  function unhighlight(span: QuickAddSpan) {
    setIgnore((r) => [...r, { start: span.start, end: span.end }]);
  }

  function onChange(e: React.ChangeEvent<HTMLInputElement>) {
    const next = e.target.value;
    setIgnore((r) => shiftRanges(r, text, next));
    setText(next);
    setError(null);
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    const el = e.currentTarget;
    if (e.key === 'Backspace' && el.selectionStart === el.selectionEnd) {
      const at = el.selectionStart ?? 0;
      const span = spans.find((s) => s.end === at);
      if (span) {
        e.preventDefault();
        unhighlight(span);
      }
    } else if (e.key === 'Escape') {
      el.blur();
    }
  }

  function onClick(e: React.MouseEvent<HTMLInputElement>) {
    const el = e.currentTarget;
    if (el.selectionStart !== el.selectionEnd) return;
    const at = el.selectionStart ?? 0;
    const span = spans.find((s) => at > s.start && at < s.end);
    if (span) unhighlight(span);
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    try {
      // the text goes as typed: the ignore offsets refer to it exactly
      const task = await quickAdd(text, ignore, into);
      setText('');
      setIgnore([]);
      setError(null);
      onAdded?.(task);
    } catch (err) {
      // what the user typed stays in the box
      setError(errorMessage(err));
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  }

  const pieces: React.ReactNode[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    pieces.push(text.slice(at, s.start));
    pieces.push(
      <mark key={s.start} className={`rounded-sm text-transparent ${kindStyle[s.kind] ?? ''}`}>
        {text.slice(s.start, s.end)}
      </mark>,
    );
    at = s.end;
  }
  pieces.push(text.slice(at));

  return (
    <form onSubmit={submit} className="w-full">
      <div className="relative rounded-lg border border-zinc-400 bg-white focus-within:border-indigo-600 dark:border-zinc-600 dark:bg-zinc-900">
        <div
          ref={mirror}
          aria-hidden="true"
          className="qa-field pointer-events-none absolute inset-0 overflow-hidden px-3 py-2.5 text-transparent"
        >
          {pieces}
        </div>
        <input
          ref={input}
          value={text}
          onChange={onChange}
          onKeyDown={onKeyDown}
          onClick={onClick}
          onScroll={(e) => {
            if (mirror.current) mirror.current.scrollLeft = e.currentTarget.scrollLeft;
          }}
          aria-label="Quick add"
          aria-describedby="quick-add-help"
          placeholder="Add a task: Pay rent every month on the 1st at 9am #bills p1"
          autoComplete="off"
          spellCheck={false}
          maxLength={2000}
          className="qa-field relative w-full bg-transparent px-3 py-2.5 text-zinc-900 placeholder:text-zinc-500 focus:outline-none dark:text-zinc-100 dark:placeholder:text-zinc-400"
        />
      </div>
      <div id="quick-add-help" className="mt-1.5 flex min-h-6 flex-wrap items-center gap-1.5 text-xs">
        {spans.length > 0 && <span className="text-zinc-600 dark:text-zinc-400">Recognised:</span>}
        {spans.map((s) => (
          <button
            key={`${s.start}-${s.kind}`}
            type="button"
            onClick={() => unhighlight(s)}
            aria-label={`Keep “${text.slice(s.start, s.end)}” as text`}
            title="Click to keep this as plain text"
            className={`rounded px-1.5 py-0.5 text-zinc-900 dark:text-zinc-100 ${kindStyle[s.kind] ?? ''}`}
          >
            <span className="font-medium">{s.kind}</span> {text.slice(s.start, s.end)}{' '}
            <CloseIcon className="size-3 align-[-1px]" />
          </button>
        ))}
        {parsed?.due && (
          <span className="text-zinc-600 dark:text-zinc-400">
            → due {parsed.due.date}
            {parsed.due.time ? ` ${parsed.due.time}` : ''}
          </span>
        )}
        {error && (
          <span role="alert" className="font-medium text-red-700 dark:text-red-300">
            {error}
          </span>
        )}
      </div>
      <button type="submit" className="sr-only">
        Add task
      </button>
    </form>
  );
});
