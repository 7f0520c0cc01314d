'use client';
import { useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { TaskView } from '../../../ui/task-view';

function TagView() {
  const tag = useSearchParams().get('name') ?? '';
  return <TaskView view={{ kind: 'tag', tag }} title={`#${tag}`} />;
}

export default function TagPage() {
  return (
    <Suspense>
      <TagView />
    </Suspense>
  );
}
