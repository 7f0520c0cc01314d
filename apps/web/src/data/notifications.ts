'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client } from '../api/http';
import { keys } from './task-cache';

export function useNotifications() {
  return useQuery({
    queryKey: keys.notifications,
    queryFn: ({ signal }) =>
      call(client.GET('/api/v1/notifications', { params: { query: { limit: 50 } }, signal })).then((r) => r.items),
  });
}

export function useNotificationActions() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: keys.notifications });
  return {
    markRead: (id: string) =>
      call(client.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })).then(refresh),
    snooze: (id: string, minutes: number) =>
      call(client.POST('/api/v1/notifications/{id}/snooze', { params: { path: { id } }, body: { minutes } })).then(
        refresh,
      ),
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
