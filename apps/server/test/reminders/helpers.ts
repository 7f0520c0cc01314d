import { desc, sql } from 'drizzle-orm';
import { outbox } from '../../src/infra/db/schema.ts';
import type { CloudEvent } from '../../src/infra/events/cloud-event.ts';
import { wasConsumed } from '../../src/infra/events/inbox.ts';
import type { TestApp, TestUser } from '../helpers/test-app.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a truthy value (the bus dispatches asynchronously). */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(15);
  }
}

export interface ApiResult {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are asserted field by field
  body: any;
}

/** `inject` against /api/v1 as `user`. */
export function apiAs(t: TestApp, user: TestUser) {
  return async (method: string, url: string, payload?: unknown): Promise<ApiResult> => {
    const res = await t.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: user.headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };
}

/** The newest outbox event of `type` about `subject`. */
export async function lastEvent(t: TestApp, type: string, subject: string): Promise<CloudEvent | undefined> {
  const [row] = await t.infra.database.db
    .select({ event: outbox.event })
    .from(outbox)
    .where(sql`${outbox.event}->>'type' = ${type} and ${outbox.event}->>'subject' = ${subject}`)
    .orderBy(desc(outbox.seq))
    .limit(1);
  return row?.event as CloudEvent | undefined;
}

/** Waits until `consumer` has processed the newest `type` event about `subject`. */
export async function waitConsumed(t: TestApp, consumer: string, type: string, subject: string) {
  const event = await waitFor(() => lastEvent(t, type, subject), `${type} of ${subject}`);
  await waitFor(() => wasConsumed(t.infra.database.db, consumer, event.id), `${consumer} to consume ${type}`);
  return event;
}
