import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsRegistry } from '../../src/infra/telemetry/metrics.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { parseMetrics } from './prometheus-text.ts';

/**
 * Every metric that the dashboards and alerts in deploy/observability read (and the promtool tests feed) is
 * one this app exports, under that name and with the labels they select on: a renamed metric or label here
 * or there fails this test instead of leaving a dashboard empty and an alert silent.
 */
const observabilityDir = new URL('../../../../deploy/observability/', import.meta.url).pathname;
/**
 * Labels every scraped series gets from Prometheus (kube-prometheus-stack's defaults) and from the relabelings
 * of the ServiceMonitor (e.g. `role` from the pod's component label), not from the app.
 */
const targetLabels = new Set([
  'job',
  'instance',
  'namespace',
  'pod',
  'service',
  'container',
  'endpoint',
  ...[...readFileSync(`${observabilityDir}monitors.yaml`, 'utf8').matchAll(/targetLabel:\s*(\w+)/g)].map(
    (m) => m[1]!,
  ),
]);
const appMetric = /\b((?:taskstream|process|nodejs)_[a-z0-9_]+)\b(\{[^}]*\})?/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(json|ya?ml)$/.test(name) ? [path] : [];
  });
}

/** name → label keys selected on it anywhere, and where it was seen */
function referenced(): Map<string, { labels: Set<string>; in: Set<string> }> {
  const found = new Map<string, { labels: Set<string>; in: Set<string> }>();
  for (const path of files(observabilityDir)) {
    for (const m of readFileSync(path, 'utf8').matchAll(appMetric)) {
      const entry = found.get(m[1]!) ?? { labels: new Set<string>(), in: new Set<string>() };
      for (const l of (m[2] ?? '').matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)) entry.labels.add(l[1]!);
      entry.in.add(path.slice(observabilityDir.length));
      found.set(m[1]!, entry);
    }
  }
  return found;
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('deploy/observability reads only what the app exports', () => {
  it('finds every metric name and selected label in /metrics', async () => {
    const scraped = parseMetrics((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
    /** exported family → its label names (process-wide instruments declare them; scrape-time gauges have none) */
    const labelsOf = (family: string): Set<string> => {
      const metric = metricsRegistry.getSingleMetric(family) as
        | { labelNames?: readonly string[] }
        | undefined;
      return new Set([
        ...(metric?.labelNames ?? []),
        ...scraped.samples.filter((s) => s.name.startsWith(family)).flatMap((s) => Object.keys(s.labels)),
      ]);
    };
    const refs = referenced();
    expect(refs.size, `no metrics found under ${observabilityDir}`).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const [name, { labels, in: where }] of refs) {
      const series = /^(.*)_(bucket|sum|count)$/.exec(name);
      const family =
        series && scraped.types.get(series[1]!) === 'histogram'
          ? series[1]!
          : scraped.types.has(name)
            ? name
            : undefined;
      if (!family) {
        problems.push(`${name} (in ${[...where].join(', ')}) is not exported`);
        continue;
      }
      const known = labelsOf(family);
      if (series?.[2] === 'bucket') known.add('le');
      for (const l of labels) {
        if (!known.has(l) && !targetLabels.has(l))
          problems.push(`${name}{${l}} (in ${[...where].join(', ')}): the app has no label ${l}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
