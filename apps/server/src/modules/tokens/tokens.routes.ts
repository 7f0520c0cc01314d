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

const createTokenBody = z.object({ name: z.string().trim().min(1).max(100) }).strict();
const tokenParams = z.object({ id: z.uuid({ message: 'must be a token id (uuid)' }) });

/** Personal access tokens for scripts and MCP clients: shown once, stored as a sha256 hash. */
export async function tokensRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock }) {
  const { db, clock } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tokens'];
  r.addHook('preHandler', app.requireUser);

  r.post(
    '/tokens',
    { schema: { tags, summary: 'Create a personal access token (shown once)', body: createTokenBody } },
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

  r.get('/tokens', { schema: { tags, summary: 'List tokens (without their secret)' } }, async (req) => {
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
  });

  r.delete(
    '/tokens/:id',
    { schema: { tags, summary: 'Revoke a token', params: tokenParams } },
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
