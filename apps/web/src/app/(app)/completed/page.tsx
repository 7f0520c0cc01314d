import type { Metadata } from 'next';
import { TaskView } from '../../../ui/task-view';

export const metadata: Metadata = { title: 'Completed · Taskstream' };
export default function CompletedPage() {
  return <TaskView view={{ kind: 'completed' }} title="Completed" />;
}
