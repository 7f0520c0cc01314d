import type { Metadata } from 'next';
import { TaskView } from '../../../ui/task-view';

export const metadata: Metadata = { title: 'Trash · Taskstream' };
export default function TrashPage() {
  return <TaskView view={{ kind: 'trash' }} title="Trash" />;
}
