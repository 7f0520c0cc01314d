import { afterAll } from 'vitest';
import type { Database } from '../../src/infra/db/db.ts';
import { DaprStateStore } from '../../src/infra/state/dapr.state.ts';
import { EmbeddedStateStore } from '../../src/infra/state/embedded.state.ts';
import { describeStateContract } from '../../src/infra/state/state.contract.ts';
import { FakeDaprSidecar } from '../fakes/fake-dapr-sidecar.ts';
import { FakeStateApi } from '../fakes/fake-dapr-state.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

let shared: Promise<Database> | undefined;
let sidecar: FakeDaprSidecar | undefined;
afterAll(async () => {
  if (shared) await (await shared).close();
  await sidecar?.stop();
});

describeStateContract('embedded (kv table)', async () => {
  shared ??= createTestDatabase().then(async (d) => {
    await d.migrate();
    return d;
  });
  const { db } = await shared;
  return { store: new EmbeddedStateStore(db), restart: async () => new EmbeddedStateStore(db) };
});

describeStateContract('dapr (fake sidecar, state.postgresql v2 behaviour)', async () => {
  if (!sidecar) {
    sidecar = new FakeDaprSidecar({});
    new FakeStateApi(sidecar);
    await sidecar.start();
  }
  const make = () =>
    new DaprStateStore({ sidecarUrl: sidecar!.url, apiToken: undefined, store: 'statestore' });
  return { store: make(), restart: async () => make() };
});
