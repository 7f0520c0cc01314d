import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationSettings, notifications, webhookDeliveries } from '../../src/infra/db/schema.ts';
import { OutboundDelivery } from '../../src/modules/notifications/outbound.ts';
import { checkWebhookTarget, isPublicAddress } from '../../src/modules/notifications/webhook-target.ts';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.1.2',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
    '2002:7f00:1::', // 6to4 of 127.0.0.1
  ])('%s is not public', (ip) => expect(isPublicAddress(ip)).toBe(false));

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('%s is public', (ip) => expect(isPublicAddress(ip)).toBe(true));
});

describe('checkWebhookTarget', () => {
  const resolve = async (host: string) => {
    const table: Record<string, string[]> = {
      'public.example': ['93.184.216.34'],
      'metadata.example': ['169.254.169.254'],
      'mixed.example': ['93.184.216.34', '10.0.0.5'],
      'mapped.example': ['::ffff:10.0.0.5'],
    };
    const found = table[host];
    if (!found) throw new Error('ENOTFOUND');
    return found;
  };
  const check = (url: string, allowPrivate = false) => checkWebhookTarget(url, { allowPrivate, resolve });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://127.0.0.1:8080/hook',
    'http://2130706433/', // decimal 127.0.0.1
    'http://0177.0.0.1/', // octal
    'http://0x7f.1/', // hex, short form
    'http://127.1/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[fd00::1]/',
    'http://0.0.0.0/',
    'http://metadata.example/',
    'http://mixed.example/', // one private address is enough
    'http://mapped.example/',
  ])('refuses %s', async (url) => {
    expect(await check(url)).toMatchObject({ ok: false, retryable: false });
  });

  it('accepts a public host, and private ones only when allowed', async () => {
    expect(await check('https://public.example/hook')).toEqual({ ok: true });
    expect(await check('https://93.184.216.34/hook')).toEqual({ ok: true });
    expect(await check('http://127.0.0.1:8080/hook', true)).toEqual({ ok: true });
  });

  it('an unresolvable name may be retried; other schemes never pass', async () => {
    expect(await check('https://nowhere.example/')).toMatchObject({ ok: false, retryable: true });
    expect(await check('file:///etc/passwd', true)).toMatchObject({ ok: false, retryable: false });
  });
});

describe('webhook URLs through the API', () => {
  let t: TestApp;
  let u: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    u = await t.signUp();
  });
  afterAll(() => t.close());

  it.each([
    'http://169.254.169.254/',
    'http://localhost:9000/hook',
    'http://2130706433/',
    'http://[::ffff:127.0.0.1]:8080/',
    'https://10.0.0.1/',
  ])('PUT /settings/notifications refuses %s with a 400 naming body.webhook_url', async (url) => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/notifications',
      headers: u.headers,
      payload: { webhook_url: url, webhook_enabled: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.details[0].path).toBe('body.webhook_url');
    const stored = await t.app.inject({
      method: 'GET',
      url: '/api/v1/settings/notifications',
      headers: u.headers,
    });
    expect(stored.json().webhook_url).toBeNull();
  });

  it('a public URL is stored', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/notifications',
      headers: u.headers,
      payload: { webhook_url: 'https://93.184.216.34/hook' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().webhook_url).toBe('https://93.184.216.34/hook');
  });
});

describe('webhook delivery', () => {
  let t: TestApp;
  let u: TestUser;
  let receiver: Server;
  let hits = 0;
  let port: number;
  beforeAll(async () => {
    // no notifier role: this test drives the delivery worker itself
    t = await createTestApp({ config: { roles: new Set(['api']) } });
    u = await t.signUp();
    receiver = createServer((_req, res) => {
      hits++;
      // a redirect to the metadata service must not be followed
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.close();
    await new Promise((r) => receiver.close(r));
  });

  async function queue(url: string): Promise<number> {
    const db = t.infra.database.db;
    await db
      .insert(notificationSettings)
      .values({
        userId: u.id,
        webhookUrl: url,
        webhookSecret: 'whsec_test_secret_123456',
        webhookEnabled: true,
      })
      .onConflictDoUpdate({ target: notificationSettings.userId, set: { webhookUrl: url } });
    const [n] = await db
      .insert(notifications)
      .values({ userId: u.id, kind: 'reminder', title: 'x', dedupeKey: randomUUID() })
      .returning();
    const [d] = await db
      .insert(webhookDeliveries)
      .values({ userId: u.id, notificationId: n!.id, eventId: randomUUID(), url, nextAttemptAt: new Date(0) })
      .returning();
    return d!.id;
  }
  const deliveryRow = async (id: number) =>
    (await t.infra.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)))[0]!;

  it('refuses, at delivery, a name that now resolves to a private address; nothing is sent', async () => {
    const id = await queue(`http://hooks.example:${port}/x`);
    const worker = new OutboundDelivery(t.infra.database.db, t.infra.clock, {
      resolve: async () => ['127.0.0.1'],
    });
    await worker.runDue();
    const row = await deliveryRow(id);
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(/refused: must point to a public address, not 127\.0\.0\.1/);
    expect(hits).toBe(0);
  });

  it('connects only to the address it checked: a name rebound to loopback after the check is refused', async () => {
    const id = await queue(`http://rebind.example:${port}/x`);
    let lookups = 0;
    const worker = new OutboundDelivery(t.infra.database.db, t.infra.clock, {
      // public for the check, loopback for the connection
      resolve: async () => (lookups++ === 0 ? ['93.184.216.34'] : ['127.0.0.1']),
    });
    await worker.runDue();
    const row = await deliveryRow(id);
    expect(lookups).toBe(2);
    expect(row.error).toMatch(/resolves to 127\.0\.0\.1/);
    expect(row.status).toBe('pending');
    expect(hits).toBe(0);
  });

  it('does not follow a redirect (even where private targets are allowed)', async () => {
    const id = await queue(`http://127.0.0.1:${port}/x`);
    const worker = new OutboundDelivery(t.infra.database.db, t.infra.clock, { allowPrivateTargets: true });
    await worker.runDue();
    const row = await deliveryRow(id);
    expect(hits).toBe(1);
    expect(row.error).toBe('receiver answered 302');
    expect(row.status).toBe('failed');
  });
});
