import { randomBytes } from 'node:crypto';
import { DomainError } from '@taskstream/core';
import { and, desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db } from '../../infra/db/db.ts';
import { apiTokens } from '../../infra/db/schema.ts';
import { currentUser, hashToken, tokenPrefix } from '../../plugins/authenticate.ts';
import { errors, instant, json, noContent } from '../../plugins/openapi.responses.ts';

const createTokenBody = z.object({ name: z.string().trim().min(1).max(100) }).strict();
const tokenParams = z.object({ id: z.uuid({ message: 'must be a token id (uuid)' }) });

const createdToken = z
  .object({
    id: z.uuid(),
    name: z.string(),
    token: z
      .string()
      .describe('the secret (`tsk_…`): shown only in this response; send it as a bearer token'),
    created_at: instant(),
  })
  .meta({
    id: 'CreatedToken',
    description: 'A new personal access token, with its secret',
    examples: [
      {
        id: '5a0e8b7c-1d2e-4f3a-9b8c-7d6e5f4a3b2c',
        name: 'laptop script',
        token: 'tsk_3q2Y…',
        created_at: '2026-11-29T18:00:00.000Z',
      },
    ],
  });

const tokenList = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        prefix: z.string().describe('the first characters of the secret, to tell tokens apart'),
        created_at: instant(),
        last_used_at: instant().nullable(),
      }),
    ),
  })
  .meta({ id: 'TokenList', description: 'Personal access tokens, without their secret' });

/** Personal access tokens for scripts and MCP clients: shown once, stored as a sha256 hash. */
export async function tokensRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock }) {
  const { db, clock } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tokens'];
  r.addHook('preHandler', app.requireUser);

  r.post(
    '/tokens',
    {
      schema: {
        tags,
        operationId: 'createToken',
        summary: 'Create a personal access token (shown once)',
        body: createTokenBody,
        response: { 201: json(createdToken, 'The token, with its secret'), ...errors(400, 401) },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const token = `${tokenPrefix}${randomBytes(32).toString('base64url')}`;
      const [row] = await db
        .insert(apiTokens)
        .values({
          userId: user.id,
          name: req.body.name,
          tokenHash: hashToken(token),
          prefix: token.slice(0, 8),
          createdAt: clock.now(),
        })
        .returning();
      return reply
        .code(201)
        .send({ id: row!.id, name: row!.name, token, created_at: row!.createdAt.toISOString() });
    },
  );

  r.get(
    '/tokens',
    {
      schema: {
        tags,
        operationId: 'listTokens',
        summary: 'List tokens (without their secret)',
        response: { 200: json(tokenList, 'Newest first'), ...errors(400, 401) },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const rows = await db
        .select()
        .from(apiTokens)
        .where(eq(apiTokens.userId, user.id))
        .orderBy(desc(apiTokens.createdAt));
      return {
        items: rows.map((t) => ({
          id: t.id,
          name: t.name,
          prefix: t.prefix,
          created_at: t.createdAt.toISOString(),
          last_used_at: t.lastUsedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  r.delete(
    '/tokens/:id',
    {
      schema: {
        tags,
        operationId: 'deleteToken',
        summary: 'Revoke a token',
        params: tokenParams,
        response: { 204: noContent('Revoked'), ...errors(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const deleted = await db
        .delete(apiTokens)
        .where(and(eq(apiTokens.id, req.params.id), eq(apiTokens.userId, user.id)))
        .returning({ id: apiTokens.id });
      if (!deleted.length) throw new DomainError('TOKEN_NOT_FOUND');
      return reply.code(204).send();
    },
  );
}
