import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { z } from 'zod';
import { errorBody } from '../../plugins/error-handler.ts';
import { errors, json } from '../../plugins/openapi.responses.ts';
import {
  authError,
  sessionResult,
  signInBody,
  signInResult,
  signOutResult,
  signUpBody,
  signUpResult,
} from './auth.schemas.ts';
import type { Auth } from './auth.ts';

const limitedPaths = /^\/api\/auth\/sign-(in|up)\//;

/** Mounts better-auth's handler under /api/auth/*; sign-in and sign-up are rate-limited per IP. */
export async function authRoutes(app: FastifyInstance, opts: { auth: Auth; perMinute: number }) {
  await app.register(rateLimit, {
    global: false,
    max: opts.perMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => req.ip,
    allowList: (req) => !limitedPaths.test(req.url),
  });
  async function proxy(request: FastifyRequest, reply: FastifyReply) {
    const url = new URL(request.url, opts.auth.options.baseURL);
    const headers = new Headers();
    for (const [k, v] of Object.entries(request.headers)) {
      if (v === undefined) continue;
      headers.set(k, Array.isArray(v) ? v.join(', ') : String(v));
    }
    // better-auth refuses a POST without Origin (CSRF guard). Browsers always send one; a request with no
    // cookie can't ride on a browser session, so scripts and curl get the server's own origin.
    if (!headers.has('origin') && !headers.has('cookie'))
      headers.set('origin', new URL(opts.auth.options.baseURL!).origin);
    const hasBody = request.method !== 'GET' && request.body !== undefined;
    if (hasBody) headers.set('content-type', 'application/json');
    headers.delete('content-length');
    const response = await opts.auth.handler(
      new Request(url, {
        method: request.method,
        headers,
        body: hasBody ? JSON.stringify(request.body) : undefined,
      }),
    );
    reply.status(response.status);
    response.headers.forEach((value, key) => {
      if (key === 'set-cookie') return;
      reply.header(key, value);
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length) reply.header('set-cookie', cookies);
    return reply.send(response.body ? Buffer.from(await response.arrayBuffer()) : null);
  }

  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    config: { rateLimit: {} },
    schema: { hide: true },
    handler: proxy,
  });

  // The endpoints clients need, documented. better-auth validates their bodies and writes their answers, so
  // the schemas here only describe them (no validation, no serialisation: the reply is better-auth's bytes).
  const tags = ['auth'];
  const documentOnly = () => (data: unknown) => ({ value: data });
  const route = (method: 'GET' | 'POST', url: string, schema: FastifySchema & Record<string, unknown>) =>
    app.route({
      method,
      url,
      config: { rateLimit: {} },
      schema: { tags, ...schema },
      validatorCompiler: documentOnly,
      handler: proxy,
    });
  const authErrorResponse = (description: string) => json(authError, description);
  // the input guard refuses what PostgreSQL can't store before better-auth sees it, in the one error shape
  const badBody = json(
    z.union([authError, errorBody]),
    "The body is not valid: better-auth's error, or the one error shape for text the server refuses",
  );

  route('POST', '/api/auth/sign-up/email', {
    operationId: 'signUpEmail',
    summary: 'Create an account with email and password, and sign in',
    security: [],
    body: signUpBody,
    response: {
      200: json(signUpResult, 'Signed up and signed in'),
      400: badBody,
      422: authErrorResponse('An account with this email exists'),
      ...errors(429),
    },
  });
  route('POST', '/api/auth/sign-in/email', {
    operationId: 'signInEmail',
    summary: 'Sign in with email and password',
    security: [],
    body: signInBody,
    response: {
      200: json(signInResult, 'Signed in'),
      400: badBody,
      401: authErrorResponse('Wrong email or password'),
      ...errors(429),
    },
  });
  route('GET', '/api/auth/get-session', {
    operationId: 'getSession',
    summary: 'The current session and user (null when signed out)',
    response: { 200: json(sessionResult, 'The session, or null') },
  });
  route('POST', '/api/auth/sign-out', {
    operationId: 'signOut',
    summary: 'End the current session',
    response: { 200: json(signOutResult, 'Signed out (the session cookie is cleared)') },
  });
}
