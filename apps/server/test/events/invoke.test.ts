import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { testConfig } from '../../src/config.ts';
import { createInfra } from '../../src/infra/infra.ts';
import { daprAppId } from '../../src/infra/invoke/invoke.ts';
import { FakeDaprSidecar } from '../fakes/fake-dapr-sidecar.ts';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

describe('internal routes (embedded shape)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuse every caller but the in-process invoker, loopback included', async () => {
    const direct = await t.app.inject({ method: 'GET', url: '/internal/v1/audit/users/someone/activity' });
    expect(direct.statusCode).toBe(403);
    expect(direct.json().error.code).toBe('FORBIDDEN');
    const forged = await t.app.inject({
      method: 'GET',
      url: '/internal/v1/audit/users/someone/activity',
      headers: { 'x-taskstream-internal': 'guess', 'dapr-api-token': 'guess' },
    });
    expect(forged.statusCode).toBe(403);
    const viaInvoker = await t.infra.invoker.invoke('audit', {
      method: 'GET',
      path: '/internal/v1/audit/users/someone/activity',
    });
    expect(viaInvoker).toEqual({ status: 200, body: { items: [], next_cursor: null } });
  });

  it('has no Dapr routes when the Dapr adapters are not selected', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/dapr/subscribe' })).statusCode).toBe(404);
  });
});

/**
 * Two processes of the cloud shape on one database: an api-role app and an audit-role app, with a fake
 * sidecar between them. GET /api/v1/tasks/:id/history on the api role reaches the audit role through
 * Dapr service invocation (`/v1.0/invoke/taskstream-audit/method/...`).
 */
describe('service invocation through the Dapr sidecar', () => {
  const appToken = 'app-token-for-invoke-tests';
  let sidecar: FakeDaprSidecar;
  let api: TestApp;
  let auditApp: Awaited<ReturnType<typeof buildApp>>;
  let user: TestUser;

  beforeAll(async () => {
    sidecar = new FakeDaprSidecar({ appApiToken: appToken });
    await sidecar.start();
    const dapr = {
      httpPort: sidecar.port,
      apiToken: undefined,
      appApiToken: appToken,
      pubsub: 'kafka-pubsub',
    };
    api = await createTestApp({ config: { roles: new Set(['api']), eventBus: 'dapr', dapr } });
    // the audit role: its own app on the same database (in the cloud shape, its own pool to the same server)
    const auditConfig = testConfig({ roles: new Set(['audit']), eventBus: 'dapr', dapr });
    const auditInfra = await createInfra(auditConfig, { database: api.infra.database });
    auditApp = await buildApp(auditConfig, { ...auditInfra, close: async () => auditInfra.bus.stop() });
    sidecar.opts.apps[daprAppId('audit')] = await auditApp.listen({ port: 0, host: '127.0.0.1' });
    user = await api.signUp();
  });
  afterAll(async () => {
    await auditApp?.close();
    await api?.close();
    await sidecar?.stop();
  });

  it('forwards the call with the app token and passes status and body through', async () => {
    const created = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: user.headers,
      payload: { title: 'Invoked' },
    });
    const id = created.json().id as string;
    const history = await api.app.inject({
      method: 'GET',
      url: `/api/v1/tasks/${id}/history`,
      headers: user.headers,
    });
    // no audit consumer runs in this test (no relay/sidecar delivery), so the history is empty but served
    expect(history.statusCode).toBe(200);
    expect(history.json()).toEqual({ items: [] });
    const missing = await api.app.inject({
      method: 'GET',
      url: `/api/v1/tasks/${crypto.randomUUID()}/history`,
      headers: user.headers,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('TASK_NOT_FOUND');
    const call = sidecar.requests.find((r) =>
      r.path.startsWith(`/v1.0/invoke/${daprAppId('audit')}/method/`),
    );
    expect(call?.path).toContain(`/internal/v1/audit/users/${user.id}/tasks/${id}/history`);
    // a caller that is not the sidecar (no app token) is refused by the audit role
    const url = sidecar.opts.apps[daprAppId('audit')]!;
    expect((await fetch(`${url}/internal/v1/audit/users/${user.id}/activity`)).status).toBe(403);
  });

  it('answers 503 when the target cannot be reached', async () => {
    delete sidecar.opts.apps[daprAppId('audit')];
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/activity', headers: user.headers });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('UNAVAILABLE');
  });
});
