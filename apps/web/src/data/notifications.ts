'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/http';
import type { AppNotification } from '../api/types';
import { keys } from './task-cache';

export function useNotifications() {
  return useQuery({
    queryKey: keys.notifications,
    queryFn: ({ signal }) =>
      api<{ items: AppNotification[] }>('GET', '/api/v1/notifications?limit=50', undefined, signal).then((r) => r.items),
  });
}

export function useNotificationActions() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: keys.notifications });
  return {
    markRead: (id: string) => api('POST', `/api/v1/notifications/${id}/read`).then(refresh),
    snooze: (id: string, minutes: number) =>
      api('POST', `/api/v1/notifications/${id}/snooze`, { minutes }).then(refresh),
  };
}

/** The user's opt-in to OS notifications, kept in this browser (permission is per browser anyway). */
export function browserNotificationsEnabled(): boolean {
  return (
    typeof Notification !== 'undefined' &&
    Notification.permission === 'granted' &&
    localStorage.getItem('browser-notifications') === 'on'
  );
}
