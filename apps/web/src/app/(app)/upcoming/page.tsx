import type { Metadata } from 'next';
import { TaskView } from '../../../ui/task-view';

export const metadata: Metadata = { title: 'Upcoming · Taskstream' };
export default function UpcomingPage() {
  return <TaskView view={{ kind: 'upcoming' }} title="Upcoming" />;
}
