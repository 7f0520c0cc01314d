import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { DomainError } from '@taskstream/core';
import type { UIMessage } from 'ai';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../../plugins/authenticate.ts';
import { errors, json, noContent } from '../../plugins/openapi.responses.ts';
import type { UserRateLimiter } from '../../plugins/user-rate-limit.ts';
import { credentialsOf } from '../mcp/mcp.routes.ts';
import type { ChatDeps } from './chat.turn.ts';
import { textOf } from './conversations.store.ts';

/** Longest user message the assistant reads. */
const maxMessageChars = 4000;

const conversationId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -')
  .describe('The conversation (useChat sends its chat id)');

const uiMessage = z
  .looseObject({
    id: z.string().min(1).max(200),
    role: z.enum(['system', 'user', 'assistant']),
    parts: z.array(z.looseObject({ type: z.string().max(100) })).max(200),
  })
  .meta({ id: 'ChatMessage', description: 'A message in the AI SDK UI format (role and typed parts)' });

const chatBody = z
  .looseObject({
    id: conversationId,
    messages: z
      .array(uiMessage)
      .min(1)
      .max(500)
      .describe('The conversation as the client has it; the last is the user message to answer'),
  })
  .describe('What the AI SDK `useChat` sends');

const conversationSummary = z.object({ id: z.string(), title: z.string(), updated_at: z.string() });
const conversationList = z
  .object({ items: z.array(conversationSummary) })
  .meta({ id: 'ConversationList', description: 'Your conversations, most recent first' });
const conversationDetail = z
  .object({
    id: z.string(),
    title: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    messages: z.array(uiMessage),
    awaiting: z
      .enum(['confirm_delete', 'choose'])
      .nullable()
      .describe('The question the assistant asked and waits an answer to, if any'),
  })
  .meta({ id: 'Conversation', description: 'A conversation with its stored history' });
const idParams = z.object({ id: conversationId });

/** Chat (`POST /chat`, the AI SDK UI message-stream protocol) and conversation history under /api/v1. */
export async function chatRoutes(app: FastifyInstance, opts: ChatDeps & { limiter: UserRateLimiter }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['assistant'];
  r.addHook('preHandler', app.requireUser);
  // the turn (the AI SDK, the MCP client, the Agents SDK when a model is set) is loaded by the first chat, not
  // at start-up; every request waits for the same import
  let turn: Promise<typeof import('./chat.turn.ts')> | undefined;

  r.post(
    '/chat',
    {
      schema: {
        tags,
        operationId: 'chat',
        summary:
          'Talk to the assistant: streams the reply as server-sent events (AI SDK UI message stream v1)',
        body: chatBody,
        response: {
          200: {
            description:
              'Server-sent events, header `x-vercel-ai-ui-message-stream: v1`, ending with `data: [DONE]`',
            content: { 'text/event-stream': { schema: z.string() } },
          },
          ...errors(400, 401, 429),
        },
      },
      preHandler: opts.limiter.preHandler,
    },
    async (req, reply) => {
      const user = currentUser(req);
      const last = req.body.messages.at(-1)! as unknown as UIMessage;
      const text = last.role === 'user' ? textOf(last) : '';
      if (!text || text.length > maxMessageChars) {
        throw new DomainError('VALIDATION_FAILED', 'The last message must be the user message to answer', [
          {
            path: `body.messages.${req.body.messages.length - 1}`,
            message: text ? `at most ${maxMessageChars} characters` : 'must be a user message with text',
          },
        ]);
      }
      const abort = new AbortController();
      req.raw.once('close', () => {
        if (!reply.raw.writableEnded) abort.abort();
      });
      turn ??= import('./chat.turn.ts');
      const response = (await turn).chatTurnResponse(opts, {
        userId: user.id,
        timeZone: user.timeZone,
        conversationId: req.body.id,
        message: { id: last.id, role: 'user', parts: [{ type: 'text', text }] },
        text,
        credentials: credentialsOf(req),
        signal: abort.signal,
      });
      reply.code(200);
      response.headers.forEach((value, key) => {
        reply.header(key, value);
      });
      // the stream is the body as is: the response schema only documents it
      return reply.send(Readable.fromWeb(response.body! as NodeReadableStream) as unknown as string);
    },
  );

  r.get(
    '/conversations',
    {
      schema: {
        tags,
        operationId: 'listConversations',
        summary: 'Your conversations with the assistant, most recent first',
        response: { 200: json(conversationList, 'Your conversations'), ...errors(401) },
      },
    },
    async (req) => ({ items: await opts.store.list(currentUser(req).id) }),
  );

  r.get(
    '/conversations/:id',
    {
      schema: {
        tags,
        operationId: 'getConversation',
        summary: 'One conversation with its messages',
        params: idParams,
        response: { 200: json(conversationDetail, 'The conversation'), ...errors(400, 401, 404) },
      },
    },
    async (req) => {
      const c = await opts.store.get(currentUser(req).id, req.params.id);
      if (!c) throw new DomainError('NOT_FOUND', 'Conversation not found');
      const { pending, messages, ...rest } = c;
      return { ...rest, messages: messages as z.infer<typeof uiMessage>[], awaiting: pending?.kind ?? null };
    },
  );

  r.delete(
    '/conversations/:id',
    {
      schema: {
        tags,
        operationId: 'deleteConversation',
        summary: 'Forget a conversation',
        params: idParams,
        response: { 204: noContent('Deleted'), ...errors(400, 401, 404) },
      },
    },
    async (req, reply) => {
      if (!(await opts.store.delete(currentUser(req).id, req.params.id)))
        throw new DomainError('NOT_FOUND', 'Conversation not found');
      return reply.code(204).send();
    },
  );
}
