'use client';
import { Dialog } from './dialog';
import { shortcutHelp } from './shortcuts';

export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} label="Keyboard shortcuts">
      <div className="p-5">
        <h2 className="mb-3 text-lg font-semibold">Keyboard shortcuts</h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
          {shortcutHelp.map((s) => (
            <div key={s.keys} className="contents">
              <dt>
                <kbd className="rounded border border-zinc-400 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-600">
                  {s.keys}
                </kbd>
              </dt>
              <dd>{s.description}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
          Shortcuts are off while you type in a field.
        </p>
        <button
          type="button"
          onClick={onClose}
          className="mt-4 rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white"
        >
          Close
        </button>
      </div>
    </Dialog>
  );
}
