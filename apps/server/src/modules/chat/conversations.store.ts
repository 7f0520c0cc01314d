import type { UIMessage } from 'ai';
import type { Clock } from '../../infra/clock/clock.ts';
import { type StateStore, updateState } from '../../infra/state/state.ts';

/** A question the assistant asked and whose answer the next turn needs (kept with the conversation). */
export type PendingQuestion =
  /** deleting needs a confirmation turn: these tasks go to the trash only after the user says yes */
  | { kind: 'confirm_delete'; ids: string[]; titles: string[] }
  /** several tasks matched a name: which one the offline assistant's action applies to */
  | { kind: 'choose'; action: ChooseAction; candidates: { id: string; title: string }[] };

export type ChooseAction =
  | { type: 'complete' | 'reopen' | 'delete' }
  | { type: 'reschedule'; when: string }
  | { type: 'snooze'; minutes: number };

export interface Conversation {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  messages: UIMessage[];
  pending: PendingQuestion | null;
}

export interface ConversationSummary {
  id: string;
  title: string;
  updated_at: string;
}

/** History kept per conversation; beyond this the oldest messages are dropped. */
const maxMessages = 200;
/** Conversations listed per user; the index forgets the least recently used beyond this. */
const maxConversations = 500;

const conversationKey = (userId: string, id: string) => `conversation:${userId}:${id}`;
const indexKey = (userId: string) => `conversations:${userId}`;

/**
 * Chat history, ours rather than the model provider's, through the state store port: one key per
 * conversation and one index key per user. Writes use first-write concurrency (`updateState`), so two turns
 * racing on one conversation (two tabs) both land instead of one overwriting the other.
 */
export class ConversationStore {
  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock,
  ) {}

  async get(userId: string, id: string): Promise<Conversation | undefined> {
    return (await this.state.get<Conversation>(conversationKey(userId, id)))?.value;
  }

  async list(userId: string): Promise<ConversationSummary[]> {
    return (await this.state.get<{ items: ConversationSummary[] }>(indexKey(userId)))?.value.items ?? [];
  }

  /** Appends one turn (the user's message and the reply) and sets the pending question. */
  async appendTurn(
    userId: string,
    id: string,
    turn: UIMessage[],
    pending: PendingQuestion | null,
  ): Promise<Conversation> {
    const now = this.clock.now().toISOString();
    const saved = await updateState<Conversation>(this.state, conversationKey(userId, id), (current) => {
      const base = current ?? {
        id,
        title: titleOf(turn),
        created_at: now,
        updated_at: now,
        messages: [],
        pending: null,
      };
      // a message id seen before (a regenerate, a retried request) replaces the stored one
      const ids = new Set(turn.map((m) => m.id));
      const messages = [...base.messages.filter((m) => !ids.has(m.id)), ...turn].slice(-maxMessages);
      return { ...base, messages, pending, updated_at: now };
    });
    await updateState<{ items: ConversationSummary[] }>(this.state, indexKey(userId), (index) => {
      const others = (index?.items ?? []).filter((c) => c.id !== id);
      return { items: [{ id, title: saved!.title, updated_at: now }, ...others].slice(0, maxConversations) };
    });
    return saved!;
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const existed = (await this.state.get(conversationKey(userId, id))) !== undefined;
    await this.state.delete(conversationKey(userId, id));
    await updateState<{ items: ConversationSummary[] }>(this.state, indexKey(userId), (index) =>
      index ? { items: index.items.filter((c) => c.id !== id) } : undefined,
    );
    return existed;
  }
}

/** The text of a message's text parts. */
export function textOf(message: UIMessage): string {
  return message.parts
    .map((p) => (p.type === 'text' ? p.text : ''))
    .join('')
    .trim();
}

function titleOf(turn: UIMessage[]): string {
  const first = turn.find((m) => m.role === 'user');
  const text = first ? textOf(first) : '';
  return text.length > 60 ? `${text.slice(0, 59)}…` : text || 'New conversation';
}
