/**
 * Grafana dashboards as code. `generate.ts` writes each one to `dashboards/<uid>.json`, which Kustomize turns
 * into ConfigMaps labelled for kube-prometheus-stack's Grafana sidecar (`grafana_dashboard: "1"`).
 * Every metric named here is one the app exports (prefix `taskstream_`, or prom-client's `process_*` and
 * `nodejs_*`), or a recording rule of rules/taskstream.rules.yaml (names with a colon).
 */

type Unit = 'short' | 'reqps' | 'percentunit' | 's' | 'bytes' | 'ops' | 'none';

interface Target {
  expr: string;
  legend: string;
}

interface PanelSpec {
  kind: 'timeseries' | 'stat';
  title: string;
  description?: string;
  unit: Unit;
  targets: Target[];
  /** stat thresholds: [value, color] after the base green */
  thresholds?: [number, 'orange' | 'red'][];
  stack?: boolean;
}

export interface Dashboard {
  uid: string;
  title: string;
  [key: string]: unknown;
}

const datasource = { type: 'prometheus', uid: '$datasource' };
/** every app series carries the namespace label added by the ServiceMonitor */
const ns = 'namespace="$namespace"';

const q = (expr: string, legend = ''): Target => ({ expr, legend });
const ts = (title: string, unit: Unit, targets: Target[], extra: Partial<PanelSpec> = {}): PanelSpec => ({
  kind: 'timeseries',
  title,
  unit,
  targets,
  ...extra,
});
const stat = (title: string, unit: Unit, target: Target, extra: Partial<PanelSpec> = {}): PanelSpec => ({
  kind: 'stat',
  title,
  unit,
  targets: [target],
  ...extra,
});
const quantiles = (metric: string, selector: string, by = ''): Target[] =>
  [0.5, 0.95, 0.99].map((p) =>
    q(
      `histogram_quantile(${p}, sum by (le${by ? `, ${by}` : ''}) (rate(${metric}_bucket{${selector}}[$__rate_interval])))`,
      `p${p * 100}${by ? ` {{${by}}}` : ''}`,
    ),
  );

/** Lays panels out on Grafana's 24-column grid: stats four to a row, time series two to a row. */
function layout(specs: PanelSpec[]): Record<string, unknown>[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return specs.map((spec, i) => {
    const w = spec.kind === 'stat' ? 6 : 12;
    const h = spec.kind === 'stat' ? 4 : 8;
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    const steps = [
      { color: 'green', value: null },
      ...(spec.thresholds ?? []).map(([value, color]) => ({ color, value })),
    ];
    return {
      id: i + 1,
      type: spec.kind,
      title: spec.title,
      ...(spec.description ? { description: spec.description } : {}),
      datasource,
      gridPos,
      fieldConfig: {
        defaults: {
          unit: spec.unit,
          thresholds: { mode: 'absolute', steps },
          ...(spec.kind === 'timeseries'
            ? {
                custom: {
                  fillOpacity: spec.stack ? 30 : 10,
                  stacking: { mode: spec.stack ? 'normal' : 'none' },
                },
              }
            : {}),
        },
        overrides: [],
      },
      options:
        spec.kind === 'stat'
          ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value' }
          : { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] } },
      targets: spec.targets.map((t, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource,
        expr: t.expr,
        legendFormat: t.legend,
      })),
    };
  });
}

function dashboard(uid: string, title: string, description: string, specs: PanelSpec[]): Dashboard {
  return {
    uid,
    title,
    description,
    tags: ['taskstream'],
    editable: false,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timezone: 'utc',
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {} },
        {
          name: 'namespace',
          label: 'Namespace',
          type: 'query',
          datasource,
          query: { query: 'label_values(taskstream_http_requests_total, namespace)', refId: 'namespace' },
          definition: 'label_values(taskstream_http_requests_total, namespace)',
          refresh: 2,
          current: { text: 'taskstream', value: 'taskstream' },
        },
      ],
    },
    annotations: { list: [] },
    links: [{ title: 'Taskstream', type: 'dashboards', tags: ['taskstream'], asDropdown: true }],
    panels: layout(specs),
  };
}

const overview = dashboard(
  'taskstream-overview',
  'Taskstream / Service overview',
  'HTTP traffic, errors and latency against the SLO; process and database pool health per role.',
  [
    stat('Requests', 'reqps', q(`sum(rate(taskstream_http_requests_total{${ns}}[$__rate_interval]))`)),
    stat(
      '5xx ratio',
      'percentunit',
      q(
        `sum(rate(taskstream_http_requests_total{${ns}, status=~"5.."}[$__rate_interval])) / sum(rate(taskstream_http_requests_total{${ns}}[$__rate_interval]))`,
      ),
      {
        thresholds: [
          [0.01, 'orange'],
          [0.05, 'red'],
        ],
      },
    ),
    stat(
      'p95 latency',
      's',
      q(
        `histogram_quantile(0.95, sum by (le) (rate(taskstream_http_request_duration_seconds_bucket{${ns}}[$__rate_interval])))`,
      ),
      {
        thresholds: [
          [0.25, 'orange'],
          [0.5, 'red'],
        ],
      },
    ),
    stat('Pods', 'short', q(`count(process_start_time_seconds{${ns}})`)),
    ts('Requests by route', 'reqps', [
      q(`sum by (route) (rate(taskstream_http_requests_total{${ns}}[$__rate_interval]))`, '{{route}}'),
    ]),
    ts('Errors by route and status', 'reqps', [
      q(
        `sum by (route, status) (rate(taskstream_http_requests_total{${ns}, status=~"4..|5.."}[$__rate_interval]))`,
        '{{status}} {{route}}',
      ),
    ]),
    ts('Latency', 's', quantiles('taskstream_http_request_duration_seconds', ns)),
    ts(
      'Requests slower than 0.5 s (SLO: under 1%)',
      'percentunit',
      [
        q('taskstream:http_requests_slow:ratio_rate5m', '5m'),
        q('taskstream:http_requests_slow:ratio_rate1h', '1h'),
        q('taskstream:http_requests_slow:ratio_rate6h', '6h'),
      ],
      { description: 'Recording rules of rules/taskstream.rules.yaml; the burn-rate alerts fire on these.' },
    ),
    ts('p95 latency by route', 's', [
      q(
        `histogram_quantile(0.95, sum by (le, route) (rate(taskstream_http_request_duration_seconds_bucket{${ns}}[$__rate_interval])))`,
        '{{route}}',
      ),
    ]),
    ts('CPU by pod', 'short', [
      q(`sum by (pod) (rate(process_cpu_seconds_total{${ns}}[$__rate_interval]))`, '{{pod}}'),
    ]),
    ts('Resident memory by pod', 'bytes', [q(`process_resident_memory_bytes{${ns}}`, '{{pod}}')]),
    ts('Event loop lag p99 by pod', 's', [q(`nodejs_eventloop_lag_p99_seconds{${ns}}`, '{{pod}}')]),
    ts('Database pool', 'short', [
      q(`sum by (role) (taskstream_db_pool_total{${ns}})`, 'total {{role}}'),
      q(`sum by (role) (taskstream_db_pool_idle{${ns}})`, 'idle {{role}}'),
      q(`sum by (role) (taskstream_db_pool_waiting{${ns}})`, 'waiting {{role}}'),
    ]),
    ts('Heap used by pod', 'bytes', [q(`nodejs_heap_size_used_bytes{${ns}}`, '{{pod}}')]),
  ],
);

const events = dashboard(
  'taskstream-events',
  'Taskstream / Events and lag',
  'The transactional outbox, pub/sub throughput per topic and consumer, lag and dead letters.',
  [
    stat('Outbox pending', 'short', q(`max(taskstream_outbox_pending{${ns}})`), {
      thresholds: [
        [1000, 'orange'],
        [10000, 'red'],
      ],
    }),
    stat('Oldest outbox event', 's', q(`max(taskstream_outbox_oldest_age_seconds{${ns}})`), {
      thresholds: [
        [60, 'orange'],
        [300, 'red'],
      ],
    }),
    stat('Max consumer lag', 'short', q(`max(taskstream_consumer_lag{${ns}})`), {
      thresholds: [
        [100, 'orange'],
        [1000, 'red'],
      ],
    }),
    stat('Dead letters (24 h)', 'short', q(`sum(increase(taskstream_dead_letters_total{${ns}}[24h]))`), {
      thresholds: [[1, 'red']],
    }),
    ts('Outbox pending', 'short', [q(`max(taskstream_outbox_pending{${ns}})`, 'pending')]),
    ts('Oldest outbox event age', 's', [q(`max(taskstream_outbox_oldest_age_seconds{${ns}})`, 'age')]),
    ts(
      'Published by topic',
      'ops',
      [q(`sum by (topic) (rate(taskstream_events_published_total{${ns}}[$__rate_interval]))`, '{{topic}}')],
      { stack: true },
    ),
    ts('Consumed by topic and consumer', 'ops', [
      q(
        `sum by (topic, consumer) (rate(taskstream_events_consumed_total{${ns}}[$__rate_interval]))`,
        '{{consumer}} ← {{topic}}',
      ),
    ]),
    ts('Failed by topic and consumer', 'ops', [
      q(
        `sum by (topic, consumer) (rate(taskstream_events_failed_total{${ns}}[$__rate_interval]))`,
        '{{consumer}} ← {{topic}}',
      ),
    ]),
    ts('Consumer lag', 'short', [
      q(`max by (topic, consumer) (taskstream_consumer_lag{${ns}})`, '{{consumer}} ← {{topic}}'),
    ]),
    ts('Dead letters by consumer', 'short', [
      q(
        `sum by (consumer) (increase(taskstream_dead_letters_total{${ns}}[$__rate_interval]))`,
        '{{consumer}}',
      ),
    ]),
  ],
);

const reminders = dashboard(
  'taskstream-reminders',
  'Taskstream / Reminders',
  'How late reminders fire (target: 95% within 60 s) and how notifications are delivered per channel.',
  [
    stat(
      'p95 lateness',
      's',
      q(
        `histogram_quantile(0.95, sum by (le) (rate(taskstream_reminder_lateness_seconds_bucket{${ns}}[$__rate_interval])))`,
      ),
      {
        thresholds: [
          [30, 'orange'],
          [60, 'red'],
        ],
      },
    ),
    stat(
      'Reminders fired (1 h)',
      'short',
      q(`sum(increase(taskstream_reminder_lateness_seconds_count{${ns}}[1h]))`),
    ),
    stat('Delivered (1 h)', 'short', q(`sum(increase(taskstream_notifications_delivered_total{${ns}}[1h]))`)),
    stat(
      'Failed deliveries (1 h)',
      'short',
      q(`sum(increase(taskstream_notifications_failed_total{${ns}}[1h]))`),
      {
        thresholds: [
          [1, 'orange'],
          [50, 'red'],
        ],
      },
    ),
    ts('Reminder lateness', 's', quantiles('taskstream_reminder_lateness_seconds', ns)),
    ts('Reminders fired', 'ops', [
      q(`sum(rate(taskstream_reminder_lateness_seconds_count{${ns}}[$__rate_interval]))`, 'fired'),
    ]),
    ts(
      'Notifications delivered by channel',
      'ops',
      [
        q(
          `sum by (channel) (rate(taskstream_notifications_delivered_total{${ns}}[$__rate_interval]))`,
          '{{channel}}',
        ),
      ],
      { stack: true },
    ),
    ts('Notifications failed by channel', 'ops', [
      q(
        `sum by (channel) (rate(taskstream_notifications_failed_total{${ns}}[$__rate_interval]))`,
        '{{channel}}',
      ),
    ]),
    ts('reminders topic: lag and failures', 'short', [
      q(`max by (consumer) (taskstream_consumer_lag{${ns}, topic="reminders"})`, 'lag {{consumer}}'),
      q(
        `sum by (consumer) (increase(taskstream_events_failed_total{${ns}, topic="reminders"}[$__rate_interval]))`,
        'failed {{consumer}}',
      ),
    ]),
  ],
);

const realtime = dashboard(
  'taskstream-realtime',
  'Taskstream / Realtime',
  'WebSocket connections per realtime pod and the task-updates fan-out each pod consumes.',
  [
    stat('WebSocket connections', 'short', q(`sum(taskstream_websocket_connections{${ns}})`)),
    stat('Realtime pods', 'short', q(`count(taskstream_websocket_connections{${ns}})`)),
    stat('Max fan-out lag', 'short', q(`max(taskstream_consumer_lag{${ns}, topic="task-updates"})`), {
      thresholds: [
        [100, 'orange'],
        [1000, 'red'],
      ],
    }),
    stat(
      'Updates pushed (1 h)',
      'short',
      q(`sum(increase(taskstream_events_consumed_total{${ns}, topic="task-updates"}[1h]))`),
    ),
    ts('Connections by pod', 'short', [q(`taskstream_websocket_connections{${ns}}`, '{{pod}}')], {
      stack: true,
    }),
    ts('task-updates consumed by pod', 'ops', [
      q(
        `sum by (pod) (rate(taskstream_events_consumed_total{${ns}, topic="task-updates"}[$__rate_interval]))`,
        '{{pod}}',
      ),
    ]),
    ts('Fan-out lag by pod', 'short', [
      q(`max by (pod) (taskstream_consumer_lag{${ns}, topic="task-updates"})`, '{{pod}}'),
    ]),
    ts('Resident memory (realtime)', 'bytes', [
      q(`process_resident_memory_bytes{${ns}, role="realtime"}`, '{{pod}}'),
    ]),
    ts('Event loop lag p99 (realtime)', 's', [
      q(`nodejs_eventloop_lag_p99_seconds{${ns}, role="realtime"}`, '{{pod}}'),
    ]),
    ts('CPU (realtime)', 'short', [
      q(
        `sum by (pod) (rate(process_cpu_seconds_total{${ns}, role="realtime"}[$__rate_interval]))`,
        '{{pod}}',
      ),
    ]),
  ],
);

export const dashboards: readonly Dashboard[] = [overview, events, reminders, realtime];
