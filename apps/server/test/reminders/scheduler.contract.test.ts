import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll } from 'vitest';
import { systemClock } from '../../src/infra/clock/clock.ts';
import type { Database } from '../../src/infra/db/db.ts';
import { timers } from '../../src/infra/db/schema.ts';
import { DaprScheduler, daprSchedulerRoutes } from '../../src/infra/scheduler/dapr.scheduler.ts';
import { EmbeddedScheduler } from '../../src/infra/scheduler/embedded.scheduler.ts';
import { describeSchedulerContract } from '../../src/infra/scheduler/scheduler.contract.ts';
import { FakeJobsApi } from '../fakes/fake-dapr-jobs.ts';
import { FakeDaprSidecar } from '../fakes/fake-dapr-sidecar.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

// One database for the embedded suite (migrating PGlite per test costs seconds); each test starts empty.
let shared: Promise<Database> | undefined;
afterAll(async () => {
  if (shared) await (await shared).close();
});

describeSchedulerContract('embedded (timers table)', async () => {
  shared ??= createTestDatabase().then(async (d) => {
    await d.migrate();
    return d;
  });
  const database = await shared;
  await database.db.delete(timers);
  const make = () => new EmbeddedScheduler({ db: database.db, clock: systemClock, retryDelayMs: 200 });
  let scheduler = make();
  return {
    get scheduler() {
      return scheduler;
    },
    // The embedded adapter redelivers after a crash between the handler and the row's delete: simulate
    // exactly that by putting the fired timer back.
    async duplicate(name) {
      await scheduler.schedule(name, new Date(Date.now() - 1), { v: 7 });
    },
    async restart() {
      await scheduler.stop();
      scheduler = make();
      return scheduler;
    },
    async close() {
      await scheduler.stop();
    },
  };
});

describeSchedulerContract('dapr (Jobs API on the fake sidecar)', async () => {
  const sidecar = new FakeDaprSidecar();
  // rejectExisting: every reschedule meets a 409, so the adapter's delete-and-recreate path is exercised
  const jobs = new FakeJobsApi(sidecar, { rejectExisting: true });
  await sidecar.start();
  let app: FastifyInstance | undefined;
  const make = async () => {
    await app?.close();
    const scheduler = new DaprScheduler({ httpPort: sidecar.port });
    app = Fastify();
    await app.register(daprSchedulerRoutes, { scheduler, guard: async () => {} });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    sidecar.opts.appUrl = url;
    return scheduler;
  };
  let scheduler = await make();
  return {
    get scheduler() {
      return scheduler;
    },
    async duplicate(name) {
      await jobs.duplicate(name);
    },
    async restart() {
      await scheduler.stop();
      scheduler = await make();
      return scheduler;
    },
    async close() {
      await scheduler.stop();
      await jobs.stop();
      await app?.close();
      await sidecar.stop();
    },
  };
});
