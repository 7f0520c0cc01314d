'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/http';
import type { SessionUser } from '../api/types';
import { browserTimeZone } from '../lib/dates';
import { keys } from './task-cache';

export function useSession() {
  return useQuery({
    queryKey: keys.session,
    queryFn: () =>
      api<{ user: SessionUser } | null>('GET', '/api/auth/get-session').then((r) => r?.user ?? null),
    staleTime: 60_000,
  });
}

/** The user's zone (settings); due dates and "today" are computed in it. */
export function useTimeZone(): string {
  const q = useQuery({
    queryKey: keys.settings,
    queryFn: () => api<{ time_zone: string }>('GET', '/api/v1/settings'),
    staleTime: 5 * 60_000,
  });
  return q.data?.time_zone ?? browserTimeZone();
}

/** Saves the browser's zone to the account when it differs (a new account, or the user travelled). */
export async function syncTimeZone(): Promise<void> {
  const tz = browserTimeZone();
  const current = await api<{ time_zone: string }>('GET', '/api/v1/settings');
  if (current.time_zone !== tz) await api('PATCH', '/api/v1/settings', { time_zone: tz });
}

export function useSignOut() {
  const qc = useQueryClient();
  return async () => {
    await api('POST', '/api/auth/sign-out', {}).catch(() => undefined);
    qc.clear();
    location.assign('/signin');
  };
}
