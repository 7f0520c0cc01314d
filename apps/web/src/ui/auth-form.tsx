'use client';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { authRequest, errorMessage } from '../api/http';
import { syncTimeZone } from '../data/session';
import { LogoIcon } from './icons';

const field =
  'mt-1 block w-full rounded-md border border-zinc-400 bg-white px-3 py-2 text-zinc-900 dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100';

/** Sign up and sign in; the browser's time zone goes to the account's settings right after. */
export function AuthForm({ mode }: { mode: 'signin' | 'signup' }) {
  const router = useRouter();
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signup = mode === 'signup';

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await authRequest('POST', signup ? '/api/auth/sign-up/email' : '/api/auth/sign-in/email', {
        ...(signup ? { name: String(form.get('name') ?? '') } : {}),
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
      });
      await syncTimeZone().catch(() => undefined);
      qc.clear();
      router.replace('/inbox');
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm">
        <p className="mb-6 text-center text-2xl font-bold tracking-tight">
          <LogoIcon className="mr-2 size-5 align-[-2px] text-indigo-600 dark:text-indigo-400" />
          Taskstream
        </p>
        <h1 className="mb-4 text-xl font-semibold">{signup ? 'Create your account' : 'Sign in'}</h1>
        <form onSubmit={submit} className="space-y-4" noValidate={false}>
          {signup && (
            <label className="block text-sm font-medium">
              Name
              <input name="name" autoComplete="name" required maxLength={100} className={field} />
            </label>
          )}
          <label className="block text-sm font-medium">
            Email
            <input name="email" type="email" autoComplete="email" required className={field} />
          </label>
          <label className="block text-sm font-medium">
            Password
            <input
              name="password"
              type="password"
              autoComplete={signup ? 'new-password' : 'current-password'}
              required
              minLength={8}
              className={field}
            />
          </label>
          {error && (
            <p
              role="alert"
              className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
            >
              {error}
            </p>
          )}
          <button
            type="submit"
            disabled={busy}
            className="w-full rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700 disabled:opacity-60"
          >
            {signup ? 'Sign up' : 'Sign in'}
          </button>
        </form>
        <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
          {signup ? 'Already have an account? ' : 'New to Taskstream? '}
          <Link
            href={signup ? '/signin' : '/signup'}
            className="font-medium text-indigo-700 underline dark:text-indigo-300"
          >
            {signup ? 'Sign in' : 'Create an account'}
          </Link>
        </p>
      </div>
    </main>
  );
}
