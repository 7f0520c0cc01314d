import { STATUS_CODES } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * A response given as a bare schema (not `json(schema, description)`) would be documented as "Default
 * Response"; it gets the status's reason phrase instead, so every response says what it is.
 */
const describedResponses: typeof jsonSchemaTransform = (input) => {
  const output = jsonSchemaTransform(input);
  const responses = (output.schema as { response?: Record<string, Record<string, unknown>> } | undefined)
    ?.response;
  for (const [status, response] of Object.entries(responses ?? {})) {
    if (!response.description && !response.content) response.description = STATUS_CODES[status] ?? 'Response';
  }
  return output;
};

type TransformObject = typeof jsonSchemaTransformObject;
type OpenApiObject = ReturnType<TransformObject>;

/**
 * Every registered zod schema becomes both an input and an output component (`TaskInput`, `Task`);
 * keep only those the document references, so the generated client has no unused types.
 */
const referencedComponentsOnly: TransformObject = (document) => {
  const doc = jsonSchemaTransformObject(document) as OpenApiObject & {
    components?: { schemas?: Record<string, unknown> };
  };
  const schemas = doc.components?.schemas;
  if (!schemas) return doc;
  const kept = new Set<string>();
  const visit = (value: unknown) => {
    for (const [, name] of JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      if (name && !kept.has(name)) {
        kept.add(name);
        visit(schemas[name]);
      }
    }
  };
  visit({ ...doc, components: { ...doc.components, schemas: {} } });
  doc.components!.schemas = Object.fromEntries(Object.entries(schemas).filter(([name]) => kept.has(name)));
  return doc;
};

/**
 * OpenAPI 3.1 generated from the same zod schemas that validate requests and serialise responses; UI at
 * /api/docs, JSON at /api/docs/json. `npm run gen:api` turns it into the web app's typed client
 * (apps/web/src/api/schema.d.ts). Schemas registered with an id (`.meta({ id })`) become components.
 */
export const openapiPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Taskstream API',
          version: '1.0.0',
          description:
            'Tasks, lists, tags, recurrence, reminders and notifications. Every error has one shape: ' +
            '`{"error": {"code", "message", "details?"}}`, with stable codes.',
        },
        components: {
          securitySchemes: {
            bearer: {
              type: 'http',
              scheme: 'bearer',
              description:
                'A session token (from sign-in or sign-up) or a personal access token (`tsk_…`, see /tokens)',
            },
            cookie: {
              type: 'apiKey',
              in: 'cookie',
              name: 'better-auth.session_token',
              description: 'The browser session set by sign-in (`__Secure-` prefixed when BASE_URL is https)',
            },
          },
        },
        security: [{ bearer: [] }, { cookie: [] }],
        tags: [
          {
            name: 'tasks',
            description: 'Tasks: create, quick add, list and search, change, complete, trash',
          },
          { name: 'lists', description: "The user's lists (every user has an Inbox)" },
          { name: 'filters', description: "The user's saved filters: named filter-language queries" },
          { name: 'recurrence', description: 'Recurring tasks: upcoming occurrences, skip, series' },
          { name: 'notifications', description: 'Reminders that fired, read and snoozed' },
          { name: 'settings', description: 'Time zone and notification channels' },
          { name: 'activity', description: "Every change, per task and as the user's feed" },
          { name: 'tokens', description: 'Personal access tokens (`tsk_…`) for scripts and MCP clients' },
          { name: 'assistant', description: 'Chat with the assistant, conversations, MCP' },
          { name: 'auth', description: 'Sign-up, sign-in and sessions (better-auth)' },
          { name: 'health', description: 'Liveness and readiness probes' },
        ],
      },
      transform: describedResponses,
      transformObject: referencedComponentsOnly,
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs' });
  },
  { name: 'openapi' },
);
