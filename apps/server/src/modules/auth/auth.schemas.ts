import { z } from 'zod';
import { instant } from '../../plugins/openapi.responses.ts';

/**
 * What better-auth's endpoints take and answer, for the OpenAPI document. better-auth validates and serialises
 * them itself (its error shape is `{code, message}`), so these schemas only document; objects stay open
 * (`looseObject`) because better-auth may add fields.
 */

const authUser = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    image: z.string().nullable(),
    timeZone: z.string().describe('IANA zone; due dates and quick add are read in it'),
    createdAt: instant(),
    updatedAt: instant(),
  })
  .meta({ id: 'User', description: 'The signed-in user' });

export const signUpBody = z.looseObject({
  email: z.email(),
  password: z.string().min(8).max(128),
  name: z.string(),
  timeZone: z.string().optional().describe('IANA zone, e.g. Europe/Paris; default UTC'),
});

export const signInBody = z.looseObject({
  email: z.email(),
  password: z.string(),
  rememberMe: z.boolean().optional(),
});

const sessionToken = z.string().describe('the session token: send it as `Authorization: Bearer …`');

export const signUpResult = z
  .looseObject({ token: sessionToken.nullable(), user: authUser })
  .meta({ id: 'SignUpResult', description: 'The new account, signed in (the session cookie is set too)' });

export const signInResult = z
  .looseObject({ redirect: z.boolean(), token: sessionToken, url: z.string().optional(), user: authUser })
  .meta({ id: 'SignInResult', description: 'Signed in (the session cookie is set too)' });

export const sessionResult = z
  .looseObject({
    session: z.looseObject({ id: z.string(), userId: z.string(), expiresAt: instant() }),
    user: authUser,
  })
  .nullable()
  .meta({ id: 'Session', description: 'The current session, or null when signed out' });

export const signOutResult = z.looseObject({ success: z.boolean() });

export const authError = z
  .looseObject({
    code: z.string().describe("better-auth's code, e.g. INVALID_EMAIL_OR_PASSWORD"),
    message: z.string(),
  })
  .meta({
    id: 'AuthError',
    description: 'An error from the authentication endpoints',
    examples: [{ code: 'INVALID_EMAIL_OR_PASSWORD', message: 'Invalid email or password' }],
  });
