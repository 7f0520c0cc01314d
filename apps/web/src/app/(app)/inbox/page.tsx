import type { Metadata } from 'next';
import { TaskView } from '../../../ui/task-view';

export const metadata: Metadata = { title: 'Inbox · Taskstream' };
export default function InboxPage() {
  return <TaskView view={{ kind: 'inbox' }} title="Inbox" />;
}
