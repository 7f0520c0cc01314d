import type { Metadata } from 'next';
import { AuthForm } from '../../ui/auth-form';

export const metadata: Metadata = { title: 'Sign in · Taskstream' };
export default function SignInPage() {
  return <AuthForm mode="signin" />;
}
