'use client';
import { useChat } from '@ai-sdk/react';
import { useQueryClient } from '@tanstack/react-query';
import { DefaultChatTransport, type UIMessage } from 'ai';
import { useEffect, useMemo, useRef, useState } from 'react';
import { lastConversation, useConversation } from '../data/conversations';
import { useSession } from '../data/session';
import { keys } from '../data/task-cache';
import { invalidateAfterChange } from '../data/tasks';
import { ConversationHistory } from './conversation-history';
import { CloseIcon, PlusIcon } from './icons';

interface TaskCard {
  id: string;
  title: string;
  due?: { local?: string } | null;
  status?: string;
}

/** Tasks found anywhere in a tool's output (a task, `{items: [...]}`, `{tasks: [...]}`, structuredContent…). */
function tasksIn(value: unknown, out: TaskCard[] = [], depth = 0): TaskCard[] {
  if (depth > 5 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    for (const v of value.slice(0, 50)) tasksIn(v, out, depth + 1);
    return out;
  }
  const o = value as Record<string, unknown>;
  if (typeof o.id === 'string' && typeof o.title === 'string' && /^[0-9a-f-]{36}$/i.test(o.id)) {
    if (!out.some((t) => t.id === o.id)) out.push(o as unknown as TaskCard);
    return out;
  }
  for (const v of Object.values(o)) tasksIn(v, out, depth + 1);
  return out;
}

function Message({ message, onOpenTask }: { message: UIMessage; onOpenTask: (id: string) => void }) {
  const mine = message.role === 'user';
  return (
    <li className={`flex ${mine ? 'justify-end' : 'justify-start'}`}>
      <div
        className={`max-w-[85%] space-y-2 rounded-xl px-3 py-2 text-sm ${
          mine ? 'bg-indigo-600 text-white' : 'bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100'
        }`}
      >
        <span className="sr-only">{mine ? 'You:' : 'Assistant:'}</span>
        {message.parts.map((part, i) => {
          const key = `${message.id}-${i}`;
          if (part.type === 'text')
            return (
              <p key={key} className="whitespace-pre-wrap">
                {part.text}
              </p>
            );
          if (part.type === 'dynamic-tool' || part.type.startsWith('tool-')) {
            const p = part as { state?: string; output?: unknown; errorText?: string; toolName?: string };
            if (p.state === 'output-error')
              return (
                <p key={key} className="text-red-700 dark:text-red-300">
                  {p.errorText}
                </p>
              );
            if (p.state !== 'output-available')
              return (
                <p key={key} className="italic opacity-80">
                  Working…
                </p>
              );
            const cards = tasksIn(p.output);
            return (
              <ul key={key} className="space-y-1">
                {cards.map((t) => (
                  <li key={t.id}>
                    <button
                      type="button"
                      onClick={() => onOpenTask(t.id)}
                      className="w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-left text-zinc-900 hover:border-indigo-500 dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100"
                    >
                      <span className="sr-only">Open task: </span>
                      <span className={`font-medium ${t.status === 'completed' ? 'line-through' : ''}`}>
                        {t.title}
                      </span>
                      {t.due?.local && (
                        <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                          {t.due.local.replace('T', ' ')}
                        </span>
                      )}
                    </button>
                  </li>
                ))}
              </ul>
            );
          }
          return null;
        })}
      </div>
    </li>
  );
}

/** The chat of one conversation: starts from its stored messages; what is sent goes on under its id. */
function ChatView({
  id,
  initial,
  onSend,
  onOpenTask,
}: {
  id: string;
  initial: UIMessage[];
  onSend: () => void;
  onOpenTask: (id: string) => void;
}) {
  const qc = useQueryClient();
  const transport = useMemo(
    () => new DefaultChatTransport({ api: '/api/v1/chat', credentials: 'same-origin' }),
    [],
  );
  // the chat id is the conversation id: the server appends each turn to the conversation it names
  const { messages, sendMessage, status, error, stop } = useChat({
    id,
    messages: initial,
    transport,
    onFinish: () => {
      // the assistant may have changed tasks: the views refetch when a reply ends; the list has this one first
      invalidateAfterChange(qc);
      void qc.invalidateQueries({ queryKey: keys.conversations, exact: true });
    },
  });
  const [text, setText] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the conversation as messages arrive
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [messages]);
  const busy = status === 'submitted' || status === 'streaming';

  return (
    <>
      <ul className="flex-1 space-y-3 overflow-y-auto p-4" aria-live="polite">
        {messages.length === 0 && (
          <li className="text-sm text-zinc-600 dark:text-zinc-400">
            Ask about your tasks: “What is due today?”, “Add call mum tomorrow 6pm”, “Move my #bills tasks to
            next week”.
          </li>
        )}
        {messages.map((m) => (
          <Message key={m.id} message={m} onOpenTask={onOpenTask} />
        ))}
        {error && (
          <li role="alert" className="text-sm text-red-700 dark:text-red-300">
            The assistant could not answer: {error.message}
          </li>
        )}
        <li ref={end} aria-hidden="true" />
      </ul>
      <form
        className="flex gap-2 border-t border-zinc-200 p-3 dark:border-zinc-800"
        onSubmit={(e) => {
          e.preventDefault();
          if (!text.trim() || busy) return;
          onSend();
          void sendMessage({ text: text.trim() });
          setText('');
        }}
      >
        <label className="flex-1">
          <span className="sr-only">Message the assistant</span>
          <textarea
            ref={input}
            rows={2}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
            className="w-full resize-none rounded-md border border-zinc-400 bg-white px-2 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900"
          />
        </label>
        {busy ? (
          <button
            type="button"
            onClick={() => void stop()}
            className="rounded-md border border-zinc-400 px-3 text-sm"
          >
            Stop
          </button>
        ) : (
          <button type="submit" className="rounded-md bg-indigo-600 px-3 text-sm font-semibold text-white">
            Send
          </button>
        )}
      </form>
    </>
  );
}

/** The conversation shown: one the server has (`stored`), or a new one it learns of with the first message. */
interface Current {
  id: string;
  stored: boolean;
}

const fresh = (): Current => ({ id: crypto.randomUUID(), stored: false });

/**
 * The assistant, streamed from /api/v1/chat; tasks in replies are cards that open the task. It reopens the
 * conversation this browser showed last for the account; earlier ones are listed, to reopen or delete.
 */
export default function AssistantPanel({
  onClose,
  onOpenTask,
}: {
  onClose: () => void;
  onOpenTask: (id: string) => void;
}) {
  const userId = useSession().data?.id;
  const [current, setCurrent] = useState<Current>();
  useEffect(() => {
    if (!userId) return;
    const last = lastConversation.get(userId);
    setCurrent(last ? { id: last, stored: true } : fresh());
  }, [userId]);
  const loaded = useConversation(current?.stored ? current.id : undefined);
  // deleted meanwhile (another tab or device): start a new one
  useEffect(() => {
    if (loaded.data === null && userId) {
      lastConversation.clear(userId);
      setCurrent(fresh());
    }
  }, [loaded.data, userId]);

  const open = (id: string) => {
    if (!userId) return;
    lastConversation.set(userId, id);
    setCurrent({ id, stored: true });
  };
  const startNew = () => {
    if (userId) lastConversation.clear(userId);
    setCurrent(fresh());
  };
  const ready = current && (!current.stored || loaded.data);

  return (
    <aside
      aria-label="Assistant"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
      className="fixed inset-0 z-40 flex flex-col bg-white shadow-2xl md:inset-y-0 md:right-0 md:left-auto md:w-[26rem] md:border-l md:border-zinc-300 dark:bg-zinc-950 md:dark:border-zinc-700"
    >
      <div className="flex items-center gap-1 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h2 className="mr-auto font-semibold">Assistant</h2>
        <ConversationHistory
          current={current?.id}
          onOpen={open}
          onDeleted={(id) => id === current?.id && startNew()}
        />
        <button
          type="button"
          onClick={startNew}
          aria-label="New conversation"
          title="New conversation"
          className="rounded-md p-2 hover:bg-zinc-100 dark:hover:bg-zinc-800"
        >
          <PlusIcon className="size-5" />
        </button>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close assistant"
          className="rounded-md px-2 py-1 text-lg"
        >
          <CloseIcon className="size-5" />
        </button>
      </div>
      {ready ? (
        <ChatView
          key={current.id}
          id={current.id}
          initial={((current.stored ? loaded.data?.messages : undefined) as UIMessage[] | undefined) ?? []}
          onSend={() => userId && lastConversation.set(userId, current.id)}
          onOpenTask={onOpenTask}
        />
      ) : (
        <p className="flex-1 p-4 text-sm text-zinc-600 dark:text-zinc-400" role="status">
          {loaded.isError ? 'The conversation could not be loaded.' : 'Loading the conversation…'}
        </p>
      )}
    </aside>
  );
}
