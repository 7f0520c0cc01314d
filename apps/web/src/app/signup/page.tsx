import type { Metadata } from 'next';
import { AuthForm } from '../../ui/auth-form';

export const metadata: Metadata = { title: 'Sign up · Taskstream' };
export default function SignUpPage() {
  return <AuthForm mode="signup" />;
}
