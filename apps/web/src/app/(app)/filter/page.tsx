'use client';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';
import { useFilterActions, useSavedFilters } from '../../../data/filters';
import { FilterEditor } from '../../../ui/filter-editor';
import { useShell } from '../../../ui/shell-context';
import { TaskView } from '../../../ui/task-view';

function FilterView() {
  const id = useSearchParams().get('id') ?? '';
  const shell = useShell();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const saved = useSavedFilters();
  const actions = useFilterActions();
  if (saved.isPending) return null;
  const filter = saved.data?.find((f) => f.id === id);
  if (!filter) return <p className="p-6">This filter does not exist (any more).</p>;
  return (
    <>
      <TaskView
        view={{ kind: 'filter', id }}
        title={filter.name}
        filterText={filter.query}
        headerExtra={
          <div className="flex items-center gap-2 text-sm">
            <code className="rounded bg-zinc-100 px-2 py-0.5 dark:bg-zinc-800">{filter.query}</code>
            <button type="button" className="underline" onClick={() => setEditing(true)}>
              Edit filter
            </button>
            <button
              type="button"
              className="text-red-700 underline dark:text-red-300"
              onClick={() => {
                if (!confirm(`Delete the filter “${filter.name}”?`)) return;
                void actions.remove(id);
                router.push('/inbox');
              }}
            >
              Delete filter
            </button>
          </div>
        }
      />
      <FilterEditor
        open={editing}
        initial={filter}
        timeZone={shell.timeZone}
        onClose={() => setEditing(false)}
        onSave={(f) => void actions.update(id, f)}
      />
    </>
  );
}

export default function FilterPage() {
  return (
    <Suspense>
      <FilterView />
    </Suspense>
  );
}
