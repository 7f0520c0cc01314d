import type { Metadata } from 'next';
import { TaskView } from '../../../ui/task-view';

export const metadata: Metadata = { title: 'Today · Taskstream' };
export default function TodayPage() {
  return <TaskView view={{ kind: 'today' }} title="Today" />;
}
