'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { call, client, errorMessage } from '../api/http';
import type { ConversationSummary } from '../api/types';
import { useToasts } from '../ui/toasts';
import { keys } from './task-cache';

/** The user's assistant conversations (GET /conversations), most recent first. */
export function useConversations() {
  return useQuery({
    queryKey: keys.conversations,
    queryFn: ({ signal }) => call(client.GET('/api/v1/conversations', { signal })).then((r) => r.items),
  });
}

/**
 * One conversation with its messages, or null when the server does not know it (deleted elsewhere).
 * Not kept once closed: reopening it reads it again, so the chat starts from what the server has now.
 */
export function useConversation(id: string | undefined) {
  return useQuery({
    queryKey: keys.conversation(id ?? ''),
    enabled: id !== undefined,
    gcTime: 0,
    refetchOnWindowFocus: false,
    queryFn: async ({ signal }) => {
      const res = await client.GET('/api/v1/conversations/{id}', { params: { path: { id: id! } }, signal });
      if (res.response.status === 404) return null;
      return call(Promise.resolve(res));
    },
  });
}

/** Deletes a conversation, optimistically: it leaves the list at once and comes back if the server refuses. */
export function useDeleteConversation() {
  const qc = useQueryClient();
  const toasts = useToasts();
  return useCallback(
    async (id: string): Promise<boolean> => {
      await qc.cancelQueries({ queryKey: keys.conversations });
      const before = qc.getQueryData<ConversationSummary[]>(keys.conversations);
      qc.setQueryData<ConversationSummary[]>(keys.conversations, (items) => items?.filter((c) => c.id !== id));
      try {
        await call(client.DELETE('/api/v1/conversations/{id}', { params: { path: { id } } }));
        return true;
      } catch (err) {
        qc.setQueryData(keys.conversations, before);
        toasts.show({ kind: 'error', text: `Could not delete the conversation: ${errorMessage(err)}` });
        return false;
      } finally {
        void qc.invalidateQueries({ queryKey: keys.conversations, exact: true });
      }
    },
    [qc, toasts],
  );
}

/** The conversation the assistant panel showed last, per account, in this browser. */
const lastKey = (userId: string) => `assistant-conversation:${userId}`;

export const lastConversation = {
  get: (userId: string): string | undefined => localStorage.getItem(lastKey(userId)) ?? undefined,
  set: (userId: string, id: string) => localStorage.setItem(lastKey(userId), id),
  clear: (userId: string) => localStorage.removeItem(lastKey(userId)),
};
