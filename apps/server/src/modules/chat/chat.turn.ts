import { randomUUID } from 'node:crypto';
import type { Model } from '@openai/agents';
import {
  createUIMessageStream,
  createUIMessageStreamResponse,
  readUIMessageStream,
  type UIMessage,
  type UIMessageChunk,
} from 'ai';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Invoker } from '../../infra/invoke/invoke.ts';
import { isAffirmative, runConfirmedDeletion } from './confirmation.ts';
import type { ConversationStore, PendingQuestion } from './conversations.store.ts';
import { connectToolCaller } from './mcp-connection.ts';
import { OfflineAssistant } from './offline.assistant.ts';
import { ReplyWriter } from './reply-writer.ts';

export interface ChatDeps {
  store: ConversationStore;
  invoker: Invoker;
  clock: Clock;
  /** undefined: the offline assistant answers */
  model: Model | undefined;
  log: FastifyBaseLogger;
}

export interface ChatTurnInput {
  userId: string;
  timeZone: string;
  conversationId: string;
  message: UIMessage;
  text: string;
  credentials: Record<string, string>;
  signal: AbortSignal;
}

/** The assistant's message rebuilt from its chunks with the `ai` package's own reader, for the history. */
async function messageOf(chunks: UIMessageChunk[]): Promise<UIMessage | undefined> {
  let last: UIMessage | undefined;
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
  for await (const m of readUIMessageStream({ stream })) last = m;
  return last;
}

/**
 * One chat turn as an AI SDK UI message stream. A pending deletion confirmed by "yes" runs without the
 * model; anything else goes to the model, or to the offline assistant when none is configured. The turn
 * (the user's message, the reply, the question left pending) is saved before the stream ends.
 */
function chatTurn(deps: ChatDeps, input: ChatTurnInput): ReadableStream<UIMessageChunk> {
  return createUIMessageStream({
    execute: async ({ writer }) => {
      const chunks: UIMessageChunk[] = [];
      const emit = (chunk: UIMessageChunk) => {
        chunks.push(chunk);
        writer.write(chunk);
      };
      const conversation = await deps.store.get(input.userId, input.conversationId);
      const pending = conversation?.pending ?? null;
      const tools = await connectToolCaller(deps.invoker, input.credentials);
      let next: PendingQuestion | null = null;
      try {
        emit({ type: 'start', messageId: `msg-${randomUUID()}` });
        const reply = new ReplyWriter(emit, tools);
        if (pending?.kind === 'confirm_delete' && isAffirmative(input.text)) {
          emit({ type: 'start-step' });
          await runConfirmedDeletion(pending, reply);
          emit({ type: 'finish-step' });
        } else if (deps.model) {
          // the Agents SDK is loaded only when a model answers; the adapter writes its own steps
          const { agentTurn } = await import('./agent.assistant.ts');
          next = await agentTurn({
            model: deps.model,
            invoker: deps.invoker,
            credentials: input.credentials,
            tools,
            timeZone: input.timeZone,
            now: deps.clock.now(),
            history: conversation?.messages ?? [],
            text: input.text,
            emit,
            signal: input.signal,
          });
        } else {
          emit({ type: 'start-step' });
          next = await new OfflineAssistant(reply).turn(input.text, pending);
          emit({ type: 'finish-step' });
        }
        emit({ type: 'finish' });
      } finally {
        await tools.close();
      }
      const answer = await messageOf(chunks);
      await deps.store.appendTurn(
        input.userId,
        input.conversationId,
        answer ? [input.message, answer] : [input.message],
        next,
      );
    },
    onError: (err) => {
      // the error, never the prompt: messages stay out of the logs
      deps.log.error({ err }, 'chat turn failed');
      return 'The assistant could not answer. Please try again.';
    },
  });
}

/** The turn as the HTTP response of `POST /chat` (server-sent events). */
export function chatTurnResponse(deps: ChatDeps, input: ChatTurnInput): Response {
  return createUIMessageStreamResponse({ stream: chatTurn(deps, input) });
}
