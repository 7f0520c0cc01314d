'use client';
import { useMemo, useState } from 'react';
import { Dialog } from './dialog';

export interface Command {
  id: string;
  label: string;
  hint?: string;
  run: () => void;
}

/** Ctrl+K: type to narrow the commands, arrows to pick, Enter to run. */
export function CommandPalette({
  open,
  onClose,
  commands,
}: {
  open: boolean;
  onClose: () => void;
  commands: Command[];
}) {
  return (
    <Dialog open={open} onClose={onClose} label="Command palette" className="mt-[12vh] mb-auto">
      <PaletteBody commands={commands} onClose={onClose} />
    </Dialog>
  );
}

function PaletteBody({ commands, onClose }: { commands: Command[]; onClose: () => void }) {
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const shown = useMemo(() => {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    return commands.filter((c) => words.every((w) => c.label.toLowerCase().includes(w))).slice(0, 12);
  }, [text, commands]);
  const run = (c: Command | undefined) => {
    if (!c) return;
    onClose();
    c.run();
  };
  return (
    <div className="p-2">
      <input
        // biome-ignore lint/a11y/noAutofocus: the palette exists to be typed into
        autoFocus
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, shown.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            run(shown[active]);
          }
        }}
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={shown[active] ? `cmd-${shown[active].id}` : undefined}
        aria-label="Type a command"
        placeholder="Type a command or a view…"
        className="w-full rounded-md border border-zinc-400 bg-white px-3 py-2 dark:border-zinc-600 dark:bg-zinc-950"
      />
      <div id="palette-list" role="listbox" aria-label="Commands" className="mt-2 max-h-80 overflow-y-auto">
        {shown.map((c, i) => (
          <div
            key={c.id}
            id={`cmd-${c.id}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === active}
            onMouseEnter={() => setActive(i)}
            onClick={() => run(c)}
            onKeyDown={() => undefined}
            className={`flex cursor-pointer justify-between rounded px-3 py-2 text-sm ${i === active ? 'bg-indigo-600 text-white' : ''}`}
          >
            <span>{c.label}</span>
            {c.hint && <kbd className="font-mono text-xs opacity-80">{c.hint}</kbd>}
          </div>
        ))}
        {shown.length === 0 && (
          <p className="px-3 py-2 text-sm text-zinc-600 dark:text-zinc-400">No command matches.</p>
        )}
      </div>
    </div>
  );
}
