'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { call, client, errorMessage } from '../api/http';
import type { List } from '../api/types';
import { keys } from '../data/task-cache';
import { useToasts } from './toasts';

/** Rename and delete for a list (its tasks go to the Inbox, as the API does). */
export function ListActions({ list }: { list: List }) {
  const qc = useQueryClient();
  const router = useRouter();
  const toasts = useToasts();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(list.name);
  const fail = (err: unknown) => toasts.show({ kind: 'error', text: errorMessage(err) });
  if (renaming) {
    return (
      <form
        className="flex gap-2"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await call(
              client.PATCH('/api/v1/lists/{id}', {
                params: { path: { id: list.id } },
                body: { name: name.trim() },
              }),
            );
            setRenaming(false);
            void qc.invalidateQueries({ queryKey: keys.lists });
          } catch (err) {
            fail(err);
          }
        }}
      >
        <label>
          <span className="sr-only">List name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            className="rounded border border-zinc-400 bg-white px-2 py-1 text-sm dark:border-zinc-600 dark:bg-zinc-900"
          />
        </label>
        <button type="submit" className="rounded bg-indigo-600 px-2 py-1 text-sm font-semibold text-white">
          Save
        </button>
        <button type="button" onClick={() => setRenaming(false)} className="px-2 py-1 text-sm">
          Cancel
        </button>
      </form>
    );
  }
  return (
    <div className="flex gap-3 text-sm">
      <button type="button" className="underline" onClick={() => setRenaming(true)}>
        Rename list
      </button>
      <button
        type="button"
        className="text-red-700 underline dark:text-red-300"
        onClick={async () => {
          if (!confirm(`Delete the list “${list.name}”? Its tasks move to the Inbox.`)) return;
          try {
            await call(client.DELETE('/api/v1/lists/{id}', { params: { path: { id: list.id } } }));
            void qc.invalidateQueries();
            router.push('/inbox');
          } catch (err) {
            fail(err);
          }
        }}
      >
        Delete list
      </button>
    </div>
  );
}
