import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { authRateLimit: 5 } });
});
afterAll(() => t.close());

describe('auth', () => {
  it('requires authentication on every /api/v1 route with a JSON 401', async () => {
    for (const url of ['/api/v1/tasks', '/api/v1/lists', '/api/v1/tags', '/api/v1/tokens']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Authentication required' } });
    }
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/tasks',
      headers: { authorization: 'Bearer nope' },
    });
    expect(bad.statusCode).toBe(401);
  });

  it('signs in with email and password; the session token works as a bearer token and as a cookie', async () => {
    const user = await t.signUp();
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      payload: { email: user.email, password: 'correct-horse-battery' },
    });
    expect(signIn.statusCode).toBe(200);
    const token = signIn.json().token as string;
    const viaBearer = await t.app.inject({
      method: 'GET',
      url: '/api/v1/tasks',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaBearer.statusCode).toBe(200);
    const cookie = [signIn.headers['set-cookie']]
      .flat()
      .filter(Boolean)
      .map((c) => String(c).split(';')[0])
      .join('; ');
    expect(cookie).toContain('session_token');
    const viaCookie = await t.app.inject({ method: 'GET', url: '/api/v1/tasks', headers: { cookie } });
    expect(viaCookie.statusCode).toBe(200);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      payload: { email: user.email, password: 'wrong-password-here' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('publishes a JWKS', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/jwks' });
    expect(res.statusCode).toBe(200);
    expect(res.json().keys.length).toBeGreaterThan(0);
  });

  it('issues personal access tokens shown once and stored hashed; revoked tokens stop working', async () => {
    const user = await t.signUp();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: user.headers,
      payload: { name: 'script' },
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    expect(token).toMatch(/^tsk_/);
    const listed = (
      await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: user.headers })
    ).json().items;
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(token);
    const auth = { authorization: `Bearer ${token}` };
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/tasks',
          headers: auth,
          payload: { title: 'via pat' },
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: user.headers }))
        .statusCode,
    ).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tasks', headers: auth })).statusCode).toBe(401);
  });

  it('rate-limits sign-in attempts per IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        remoteAddress: '203.0.113.9',
        payload: { email: 'nobody@example.com', password: 'whatever-password' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      remoteAddress: '203.0.113.10',
      payload: { email: 'nobody@example.com', password: 'whatever-password' },
    });
    expect(other.statusCode).toBe(401);
  });
});
