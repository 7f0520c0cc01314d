import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 p-6">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <Link href="/inbox" className="text-indigo-700 underline dark:text-indigo-300">
        Go to your Inbox
      </Link>
    </main>
  );
}
