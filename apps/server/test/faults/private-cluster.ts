import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { freePort } from '../events/server-process.ts';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of its own (Debian's postgresql-common tools), for a test that restarts the
 * database under load: the shared cluster on 5432 serves other tests and people and is never touched.
 * Trust auth on 127.0.0.1; always `drop()` it, also when the test fails.
 */
export interface PrivateCluster {
  name: string;
  port: number;
  /** superuser URL of its `postgres` database */
  url: string;
  restart(): Promise<void>;
  drop(): Promise<void>;
}

const prefix = 'faults_';

function majorVersion(): string {
  const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql').sort() : [];
  const version = versions.at(-1);
  if (!version)
    throw new Error('no PostgreSQL cluster tools (/etc/postgresql is empty): apt-get install postgresql');
  return version;
}

/** `pg_ctlcluster` without the systemd redirect (CI and containers run no systemd). */
function ctl(version: string, name: string, action: 'start' | 'restart', options: string[] = []) {
  return run('pg_ctlcluster', ['--skip-systemctl-redirect', ...options, version, name, action]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Drops clusters an earlier, killed run left behind (their names carry the pid that made them). */
async function dropStale(version: string): Promise<void> {
  const dir = `/etc/postgresql/${version}`;
  for (const name of readdirSync(dir)) {
    const pid = Number(/^faults_(\d+)_/.exec(name)?.[1]);
    if (pid && !alive(pid)) await run('pg_dropcluster', ['--stop', version, name]).catch(() => {});
  }
}

export async function createPrivateCluster(): Promise<PrivateCluster> {
  const version = majorVersion();
  await dropStale(version);
  const name = `${prefix}${process.pid}_${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const drop = async () => {
    await run('pg_dropcluster', ['--stop', version, name]);
  };
  await run('pg_createcluster', [version, name, '-p', String(port), '--', '--auth=trust']);
  try {
    await ctl(version, name, 'start');
  } catch (err) {
    await drop().catch(() => {});
    throw err;
  }
  return {
    name,
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    // fast: the way an operator restarts it (open connections are cut, running transactions roll back)
    restart: async () => {
      await ctl(version, name, 'restart', ['-m', 'fast']);
    },
    drop,
  };
}
