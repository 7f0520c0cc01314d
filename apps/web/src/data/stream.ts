'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { AppNotification, Task } from '../api/types';
import { keys, storeTask } from './task-cache';
import { invalidateAfterChange } from './tasks';

export type StreamStatus = 'connecting' | 'open' | 'reconnecting';

interface StreamMessage {
  type: string;
  id?: string;
  heartbeat_ms?: number;
  data?: unknown;
}

/**
 * The live stream (`/api/v1/stream`) feeding the query cache. A change to a task replaces the cached copy at
 * once and refetches the lists shortly after (membership and order may change). On a drop it reconnects with
 * `?since=<last event>` so nothing is missed; a `resync` answer refetches everything.
 */
export function useLiveStream(onNotification: (n: AppNotification, resurfaced: boolean) => void): StreamStatus {
  const qc = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const notify = useRef(onNotification);
  notify.current = onNotification;

  useEffect(() => {
    let socket: WebSocket | undefined;
    let lastId: string | undefined;
    let attempt = 0;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    let refetch: ReturnType<typeof setTimeout> | undefined;
    let heartbeatMs = 25_000;

    const scheduleRefetch = () => {
      if (refetch) return;
      refetch = setTimeout(() => {
        refetch = undefined;
        invalidateAfterChange(qc);
      }, 150);
    };
    // browsers can't see WebSocket pings: a silent socket past two heartbeats is treated as dead
    const armWatchdog = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => socket?.close(), heartbeatMs * 2 + 5_000);
    };

    const connect = () => {
      const proto = location.protocol === 'https:' ? 'wss' : 'ws';
      const since = lastId ? `?since=${encodeURIComponent(lastId)}` : '';
      const ws = new WebSocket(`${proto}://${location.host}/api/v1/stream${since}`);
      socket = ws;
      ws.onopen = () => {
        // anything missed while the socket was down and beyond replay comes back with the refetch
        if (attempt > 0 && !lastId) scheduleRefetch();
        attempt = 0;
        setStatus('open');
        armWatchdog();
      };
      ws.onmessage = (ev) => {
        armWatchdog();
        let msg: StreamMessage;
        try {
          msg = JSON.parse(String(ev.data)) as StreamMessage;
        } catch {
          return;
        }
        if (msg.type === 'hello' && msg.heartbeat_ms) heartbeatMs = msg.heartbeat_ms;
        if (msg.id) lastId = msg.id;
        if (msg.type === 'task.state_changed') {
          const task = (msg.data as { task?: Task } | undefined)?.task;
          if (task) storeTask(qc, task);
          scheduleRefetch();
        } else if (msg.type === 'notification.created') {
          const d = msg.data as { notification?: AppNotification; resurfaced?: boolean } | undefined;
          void qc.invalidateQueries({ queryKey: keys.notifications });
          if (d?.notification) notify.current(d.notification, d.resurfaced === true);
        } else if (msg.type === 'resync') {
          lastId = undefined;
          void qc.invalidateQueries();
        }
      };
      ws.onclose = () => {
        clearTimeout(watchdog);
        if (stopped) return;
        setStatus('reconnecting');
        const delay = Math.min(10_000, 500 * 2 ** attempt) * (0.75 + Math.random() / 2);
        attempt++;
        retry = setTimeout(connect, delay);
      };
    };
    connect();
    // coming back online or to the tab: try now instead of waiting for the backoff
    const wake = () => {
      if (socket && socket.readyState === WebSocket.CLOSED) {
        clearTimeout(retry);
        connect();
      }
    };
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', wake);
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(watchdog);
      clearTimeout(refetch);
      window.removeEventListener('online', wake);
      document.removeEventListener('visibilitychange', wake);
      socket?.close();
    };
  }, [qc]);

  return status;
}
