'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useSession } from '../data/session';

/** `/` sends the user to their Inbox, or to sign in. */
export default function Home() {
  const router = useRouter();
  const session = useSession();
  useEffect(() => {
    if (session.isSuccess) router.replace(session.data ? '/inbox' : '/signin');
    if (session.isError) router.replace('/signin');
  }, [session.isSuccess, session.isError, session.data, router]);
  return (
    <main className="flex min-h-screen items-center justify-center">
      <p className="text-zinc-600 dark:text-zinc-400">Loading Taskstream…</p>
    </main>
  );
}
