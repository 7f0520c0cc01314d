import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadMcpClientConfig, testConfig } from '../../src/config.ts';
import { createInfra } from '../../src/infra/infra.ts';
import { DaprSecrets } from '../../src/infra/secrets/dapr.secrets.ts';
import { EnvSecrets } from '../../src/infra/secrets/env.secrets.ts';
import { FakeDaprSidecar } from '../fakes/fake-dapr-sidecar.ts';
import { FakeStateApi } from '../fakes/fake-dapr-state.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

describe('secrets port', () => {
  let sidecar: FakeDaprSidecar;
  beforeAll(async () => {
    sidecar = new FakeDaprSidecar({});
    new FakeStateApi(sidecar, {
      secrets: {
        kubernetes: {
          // a Kubernetes Secret name is DNS-1123: OPENAI_API_KEY lives in the secret openai-api-key
          'openai-api-key': { 'openai-api-key': 'sk-from-k8s', other: 'x' },
          'llm-credentials': { token: 'sk-only-key' },
        },
      },
    });
    await sidecar.start();
  });
  afterAll(async () => {
    await sidecar.stop();
  });

  it('env: the variable, else the file its _FILE names, else undefined', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ts-secret-')), 'key');
    writeFileSync(file, 'sk-from-file\n');
    expect(await new EnvSecrets({ OPENAI_API_KEY: 'sk-env' }).get('OPENAI_API_KEY')).toBe('sk-env');
    expect(await new EnvSecrets({ OPENAI_API_KEY_FILE: file }).get('OPENAI_API_KEY')).toBe('sk-from-file');
    expect(await new EnvSecrets({}).get('OPENAI_API_KEY')).toBeUndefined();
  });

  it('dapr: the secret by its DNS-1123 name, the key named like it, else its only key; a missing secret is undefined', async () => {
    const secrets = new DaprSecrets({ sidecarUrl: sidecar.url, apiToken: undefined, store: 'kubernetes' });
    expect(await secrets.get('OPENAI_API_KEY')).toBe('sk-from-k8s');
    expect(await secrets.get('llm-credentials')).toBe('sk-only-key');
    expect(await secrets.get('nope')).toBeUndefined();
    const noStore = new DaprSecrets({ sidecarUrl: sidecar.url, apiToken: undefined, store: 'vault' });
    await expect(noStore.get('OPENAI_API_KEY')).rejects.toThrow(/400/);
  });

  it('createInfra reads the model key once through the port: a key (or a base URL) means a model', async () => {
    const database = await createTestDatabase();
    const keep = { ...database, close: async () => {} };
    const withKey = await createInfra(
      testConfig({
        secrets: { store: 'dapr', daprComponent: 'kubernetes', env: {} },
        dapr: { httpPort: sidecar.port, apiToken: undefined, appApiToken: undefined, pubsub: 'kafka-pubsub' },
      }),
      { database: keep },
    );
    expect(withKey.model).toBeDefined();
    await withKey.close();
    const none = await createInfra(testConfig(), { database });
    expect(none.model).toBeUndefined();
    await none.close();
  });

  it('configuration: the assistant variables are validated and named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-config-'));
    const c = loadConfig({
      DATA_DIR: dir,
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_MODEL: 'llama3.2',
    });
    expect(c.assistant).toMatchObject({
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'llama3.2',
      chatRateLimit: 20,
    });
    expect(c.state).toEqual({ store: 'embedded', daprComponent: 'statestore' });
    expect(() => loadConfig({ DATA_DIR: dir, STATE_STORE: 'redis' })).toThrow(/STATE_STORE/);
    expect(() => loadConfig({ DATA_DIR: dir, OPENAI_BASE_URL: 'not a url' })).toThrow(/OPENAI_BASE_URL/);
    expect(() => loadConfig({ DATA_DIR: dir, CHAT_RATE_LIMIT: '0' })).toThrow(/CHAT_RATE_LIMIT/);
    expect(() => loadMcpClientConfig({})).toThrow(ConfigError);
    expect(loadMcpClientConfig({ TASKSTREAM_TOKEN: 'tsk_x', TASKSTREAM_URL: 'http://h:1/' })).toEqual({
      url: 'http://h:1',
      token: 'tsk_x',
    });
  });
});
