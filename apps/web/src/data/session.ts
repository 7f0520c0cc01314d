'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { authRequest, call, client } from '../api/http';
import type { SessionUser } from '../api/types';
import { browserTimeZone } from '../lib/dates';
import { keys } from './task-cache';

export function useSession() {
  return useQuery({
    queryKey: keys.session,
    queryFn: () =>
      authRequest<{ user: SessionUser } | null>('GET', '/api/auth/get-session').then((r) => r?.user ?? null),
    staleTime: 60_000,
  });
}

/** The user's zone (settings); due dates and "today" are computed in it. */
export function useTimeZone(): string {
  const q = useQuery({
    queryKey: keys.settings,
    queryFn: ({ signal }) => call(client.GET('/api/v1/settings', { signal })),
    staleTime: 5 * 60_000,
  });
  return q.data?.time_zone ?? browserTimeZone();
}

/** Saves the browser's zone to the account when it differs (a new account, or the user travelled). */
export async function syncTimeZone(): Promise<void> {
  const tz = browserTimeZone();
  const current = await call(client.GET('/api/v1/settings'));
  if (current.time_zone !== tz) await call(client.PATCH('/api/v1/settings', { body: { time_zone: tz } }));
}

export function useSignOut() {
  const qc = useQueryClient();
  return async () => {
    await authRequest('POST', '/api/auth/sign-out', {}).catch(() => undefined);
    qc.clear();
    location.assign('/signin');
  };
}
