import type { Metadata } from 'next';
import { Settings } from '../../../ui/settings';

export const metadata: Metadata = { title: 'Settings · Taskstream' };
export default function SettingsPage() {
  return <Settings />;
}
