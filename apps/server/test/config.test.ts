import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'ts-config-'));

describe('config', () => {
  it('applies defaults and generates a persistent auth secret in DATA_DIR', () => {
    const dir = tmp();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: undefined,
      logLevel: 'info',
      eventBus: 'embedded',
    });
    expect(c.baseUrl).toBe('http://localhost:8080');
    expect(c.roles.size).toBe(5);
    expect(existsSync(join(dir, 'auth-secret'))).toBe(true);
    expect(loadConfig({ DATA_DIR: dir }).authSecret).toBe(c.authSecret);
    expect(readFileSync(join(dir, 'auth-secret'), 'utf8')).toBe(c.authSecret);
  });

  it('stops on a bad value and names the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATA_DIR: tmp() })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud', DATA_DIR: tmp() })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', DATA_DIR: tmp() })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ ROLE: 'api,frontend', DATA_DIR: tmp() })).toThrow(
      /ROLE: unknown role frontend/,
    );
    expect(() => loadConfig({ EVENT_BUS: 'kafka', DATA_DIR: tmp() })).toThrow(ConfigError);
  });

  it('requires AUTH_SECRET with DATABASE_URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrow(/AUTH_SECRET/);
    const c = loadConfig({
      DATABASE_URL: 'postgres://localhost/x',
      AUTH_SECRET: 'x'.repeat(32),
      ROLE: 'api,audit',
    });
    expect([...c.roles].sort()).toEqual(['api', 'audit']);
  });
});
