import { readFileSync } from 'node:fs';
import type { Secrets } from './secrets.ts';

/**
 * Secrets from the environment map config.ts parsed: `NAME` itself, else the file named by `NAME_FILE`
 * (the convention of Docker and Kubernetes secret files), trimmed.
 */
export class EnvSecrets implements Secrets {
  constructor(private readonly values: Readonly<Record<string, string | undefined>>) {}

  async get(name: string): Promise<string | undefined> {
    const direct = this.values[name];
    if (direct) return direct;
    const file = this.values[`${name}_FILE`];
    if (!file) return undefined;
    const text = readFileSync(file, 'utf8').trim();
    return text || undefined;
  }
}
