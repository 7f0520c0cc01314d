import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dashboards } from '../observability/dashboards.ts';
import { dashboardFile, prometheusRule, prometheusRuleFile, rulesFile } from '../observability/generate.ts';
import { deployDir, repoRoot } from './render.ts';

/**
 * The alert rules pass promtool's check and unit tests, every alert has a firing and a silent test case and a
 * runbook section, the generated PrometheusRule and dashboards match their sources, and every metric the
 * dashboards and alerts read is one of the names agreed with the app's /metrics (issue 11, point 6).
 */
const exported = [
  'http_requests_total',
  'http_request_duration_seconds',
  'outbox_pending',
  'outbox_oldest_age_seconds',
  'events_published_total',
  'events_consumed_total',
  'events_failed_total',
  'consumer_lag',
  'dead_letters_total',
  'reminder_lateness_seconds',
  'notifications_delivered_total',
  'notifications_failed_total',
  'websocket_connections',
  'db_pool_total',
  'db_pool_idle',
  'db_pool_waiting',
].map((n) => `taskstream_${n}`);
const histograms = ['taskstream_http_request_duration_seconds', 'taskstream_reminder_lateness_seconds'];
/** prom-client's default metrics read by the dashboards, and kube-state-metrics' for the crash-loop alert */
const otherSources = [
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'process_start_time_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_heap_size_used_bytes',
  'kube_pod_container_status_waiting_reason',
];

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  annotations?: Record<string, string>;
}
const rulesText = readFileSync(rulesFile, 'utf8');
const rules = (parse(rulesText) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
const alerts = rules.filter((r) => r.alert);
const records = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));

function promtool(...args: string[]): { status: number; output: string } {
  const res = spawnSync('promtool', args, { cwd: `${deployDir}observability/rules`, encoding: 'utf8' });
  if (res.error)
    throw new Error(`promtool is not installed (apt-get install -y prometheus): ${res.error.message}`);
  return { status: res.status ?? -1, output: `${res.stdout}${res.stderr}` };
}

/** Metric names in a PromQL expression: the identifiers with the prefixes these dashboards and alerts use. */
function metricNames(expr: string): string[] {
  const names = new Set<string>();
  // label values (namespace="taskstream") are not names
  const code = expr.replace(/"[^"]*"/g, '""');
  for (const [name] of code.matchAll(
    /\b(?:taskstream|process|nodejs|kube)_[a-z0-9_:]*|\btaskstream:[a-z0-9_:]*/g,
  ))
    names.add(name);
  return [...names];
}

describe('alert rules', () => {
  it('pass promtool check rules', () => {
    const res = promtool('check', 'rules', 'taskstream.rules.yaml');
    expect(res.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(res.status).toBe(0);
  });

  it('pass promtool test rules', () => {
    const res = promtool('test', 'rules', 'taskstream.rules.test.yaml');
    expect(res.output).toContain('SUCCESS');
    expect(res.status).toBe(0);
  });

  it('test every alert firing and staying silent', () => {
    const tests = parse(
      readFileSync(`${deployDir}observability/rules/taskstream.rules.test.yaml`, 'utf8'),
    ) as {
      tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const cases = tests.tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const { alert } of alerts) {
      const mine = cases.filter((c) => c.alertname === alert);
      expect(
        mine.some((c) => c.exp_alerts.length > 0),
        `${alert} fires in a test`,
      ).toBe(true);
      expect(
        mine.some((c) => c.exp_alerts.length === 0),
        `${alert} stays silent in a test`,
      ).toBe(true);
    }
  });

  it('have a runbook section in docs/operations.md for every alert', () => {
    const runbook = readFileSync(`${repoRoot}docs/operations.md`, 'utf8');
    for (const { alert, annotations } of alerts) {
      expect(runbook, `docs/operations.md has a "### ${alert}" section`).toMatch(
        new RegExp(`^### ${alert}$`, 'm'),
      );
      expect(annotations?.runbook_url).toMatch(new RegExp(`docs/operations\\.md#${alert!.toLowerCase()}$`));
    }
  });

  it('are what the generated PrometheusRule carries', () => {
    const generated = parse(readFileSync(prometheusRuleFile, 'utf8'));
    expect(generated).toEqual(prometheusRule(rulesText));
  });
});

describe('dashboards', () => {
  it('are the generated JSON of dashboards.ts, each in a ConfigMap for the Grafana sidecar', () => {
    const kustomization = readFileSync(`${deployDir}observability/kustomization.yaml`, 'utf8');
    expect(kustomization).toContain('grafana_dashboard: "1"');
    expect(dashboards.map((d) => d.uid).sort()).toEqual([
      'taskstream-events',
      'taskstream-overview',
      'taskstream-realtime',
      'taskstream-reminders',
    ]);
    for (const d of dashboards) {
      expect(JSON.parse(readFileSync(dashboardFile(d.uid), 'utf8'))).toEqual(JSON.parse(JSON.stringify(d)));
      expect(kustomization).toContain(`dashboards/${d.uid}.json`);
    }
  });

  it('give every panel a query and a unique id', () => {
    for (const d of dashboards) {
      const panels = d.panels as { id: number; targets: { expr: string }[] }[];
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const p of panels) expect(p.targets.length).toBeGreaterThan(0);
    }
  });
});

describe('metric names in dashboards and alerts', () => {
  const exprs = [
    ...rules.map((r) => r.expr),
    ...dashboards.flatMap((d) =>
      (d.panels as { targets: { expr: string }[] }[]).flatMap((p) => p.targets.map((t) => t.expr)),
    ),
  ];

  it('are exported by the app, defined by a recording rule, or come from kube-state-metrics', () => {
    const allowed = new Set([
      ...exported,
      ...histograms.flatMap((h) => ['_bucket', '_sum', '_count'].map((s) => h + s)),
      ...otherSources,
      ...records,
    ]);
    const unknown = new Set(exprs.flatMap(metricNames).filter((n) => !allowed.has(n)));
    expect([...unknown]).toEqual([]);
  });

  it('cover what issue 11 asks to watch', () => {
    const used = new Set(exprs.flatMap(metricNames).map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    for (const name of exported) expect(used, name).toContain(name);
  });
});
