'use client';
import { createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { CloseIcon } from './icons';

export interface ToastInput {
  text: string;
  kind?: 'info' | 'error';
  action?: { label: string; run: () => void };
  /** a second action (e.g. Snooze next to Open) */
  secondary?: { label: string; run: () => void };
  /** ms before it goes (Infinity: until dismissed); errors stay longer */
  duration?: number;
}
interface Toast extends ToastInput {
  id: number;
}

const ToastContext = createContext<{ show: (t: ToastInput) => void } | null>(null);

export function useToasts() {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error('useToasts outside ToastProvider');
  return ctx;
}

/** Toasts at the bottom, announced politely to screen readers; each action closes its toast. */
export function ToastProvider({ children }: { children: React.ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (t: ToastInput) => {
      const id = next.current++;
      setToasts((ts) => [...ts.slice(-3), { ...t, id }]);
      const duration = t.duration ?? (t.kind === 'error' ? 10_000 : 6_000);
      if (Number.isFinite(duration)) setTimeout(() => dismiss(id), duration);
    },
    [dismiss],
  );
  const value = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <section
        aria-label="Notifications and messages"
        aria-live="polite"
        className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-3"
      >
        {toasts.map((t) => (
          <div
            key={t.id}
            role={t.kind === 'error' ? 'alert' : 'status'}
            className={`pointer-events-auto flex w-full max-w-md items-center gap-3 rounded-lg px-4 py-3 text-sm shadow-lg ${
              t.kind === 'error'
                ? 'bg-red-700 text-white'
                : 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900'
            }`}
          >
            <span className="min-w-0 flex-1 break-words">{t.text}</span>
            {t.secondary && (
              <button
                type="button"
                className="rounded px-2 py-1 font-semibold underline-offset-2 hover:underline"
                onClick={() => {
                  dismiss(t.id);
                  t.secondary!.run();
                }}
              >
                {t.secondary.label}
              </button>
            )}
            {t.action && (
              <button
                type="button"
                className="rounded px-2 py-1 font-semibold underline-offset-2 hover:underline"
                onClick={() => {
                  dismiss(t.id);
                  t.action!.run();
                }}
              >
                {t.action.label}
              </button>
            )}
            <button type="button" aria-label="Dismiss" className="rounded px-1" onClick={() => dismiss(t.id)}>
              <CloseIcon />
            </button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}
