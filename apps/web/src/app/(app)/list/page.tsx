'use client';
import { useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { useLists } from '../../../data/tasks';
import { ListActions } from '../../../ui/list-actions';
import { TaskView } from '../../../ui/task-view';

function ListView() {
  const id = useSearchParams().get('id') ?? '';
  const lists = useLists();
  const list = lists.data?.find((l) => l.id === id);
  if (lists.isSuccess && !list) return <p className="p-6">This list does not exist (any more).</p>;
  return (
    <TaskView
      view={{ kind: 'list', id }}
      title={list?.name ?? 'List'}
      headerExtra={list && <ListActions list={list} />}
    />
  );
}

export default function ListPage() {
  return (
    <Suspense>
      <ListView />
    </Suspense>
  );
}
