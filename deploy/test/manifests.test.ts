import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig, roles } from '../../apps/server/src/config.ts';
import { topics } from '../../apps/server/src/infra/events/cloud-event.ts';
import { sweepBindingRoute } from '../../apps/server/src/infra/scheduler/dapr.scheduler.ts';
import {
  daprSubscriptions,
  deadLetterTopic,
  topicsByRole,
} from '../../apps/server/src/modules/dapr/dapr.subscriptions.ts';
import { componentMetadataValidators, crdValidators, errorsText } from './crd-schemas.ts';
import { unknownFields, validateBuiltIn } from './kubernetes-schema.ts';
import { deployDir, find, type K8sObject, kustomize, overlays } from './render.ts';

/** Consumers of each topic besides topicsByRole's (handlers subscribed in buildApp; docs/events.md). */
const extraConsumers: Record<string, string[]> = { 'task-events': ['recurring', 'notifier'] };
/** Secrets the cloud overlays expect deploy/scripts/create-secrets.sh to have created. */
const createdBySecretsScript = readFileSync(`${deployDir}scripts/create-secrets.sh`, 'utf8');

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML is untyped; the tests assert the shape they read
type Obj = K8sObject & { spec: any; scopes?: string[] };
type MetadataItem = { name: string; value?: unknown; secretKeyRef?: unknown };
type IngressPath = { path: string; backend: { service: { name: string } } };

const rendered = new Map<string, Obj[]>();
function render(target: string): Obj[] {
  let objects = rendered.get(target);
  if (!objects) {
    objects = kustomize(`${deployDir}${target}`) as Obj[];
    rendered.set(target, objects);
  }
  return objects;
}

const targets = ['k8s/base', ...overlays.map((o) => `k8s/overlays/${o}`), 'observability'];

describe.each(targets)('%s', (target) => {
  it('renders with kubectl kustomize', () => {
    expect(render(target).length).toBeGreaterThan(5);
  });

  it('validates every object: built-in kinds against the Kubernetes schema, custom resources against theirs', async () => {
    const problems: string[] = [];
    for (const obj of render(target)) {
      const id = `${obj.apiVersion} ${obj.kind}/${obj.metadata.name}`;
      const crd = crdValidators.get(`${obj.apiVersion}/${obj.kind}`);
      if (crd) {
        if (!crd(obj)) problems.push(`${id}: ${errorsText(crd)}`);
        continue;
      }
      try {
        await validateBuiltIn(obj);
      } catch (err) {
        problems.push(`${id}: ${(err as Error).message}`);
        continue;
      }
      for (const path of unknownFields(obj)) problems.push(`${id}: unknown field ${path}`);
    }
    expect(problems).toEqual([]);
  });

  it('validates the metadata of every Dapr component against its type', () => {
    const problems: string[] = [];
    for (const c of render(target).filter((o) => o.kind === 'Component')) {
      const validate = componentMetadataValidators.get(c.spec.type);
      if (!validate) {
        problems.push(`${c.metadata.name}: no metadata schema for ${c.spec.type}`);
        continue;
      }
      const map = Object.fromEntries(
        (c.spec.metadata ?? []).map((m: { name: string; value?: unknown; secretKeyRef?: unknown }) => [
          m.name,
          m.value ?? m.secretKeyRef,
        ]),
      );
      if (!validate(map)) problems.push(`${c.metadata.name}: ${errorsText(validate)}`);
    }
    expect(problems).toEqual([]);
  });
});

describe.each(overlays)('overlay %s', (overlay) => {
  const objects = () => render(`k8s/overlays/${overlay}`);
  const deployment = (role: string) => find<Obj>(objects(), 'Deployment', `taskstream-${role}`);

  it.each(roles)(
    'runs the %s role with its Dapr app-id, probes, resources and a locked-down container',
    (role) => {
      const d = deployment(role);
      const pod = d.spec.template;
      const container = pod.spec.containers.find((c: { name: string }) => c.name === 'taskstream');
      const annotations = pod.metadata.annotations;
      expect(annotations['dapr.io/enabled']).toBe('true');
      expect(annotations['dapr.io/app-id']).toBe(`taskstream-${role}`);
      expect(Number(annotations['dapr.io/app-port'])).toBe(
        container.ports.find((p: { name: string }) => p.name === 'http').containerPort,
      );
      find(objects(), 'Configuration', annotations['dapr.io/config']);
      expect(annotations['dapr.io/sidecar-memory-limit']).toBeTruthy();
      expect(Number(annotations['dapr.io/graceful-shutdown-seconds'])).toBeLessThan(
        pod.spec.terminationGracePeriodSeconds,
      );
      expect(container.env).toContainEqual({ name: 'ROLE', value: role });
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      expect(container.startupProbe.httpGet.path).toBe('/healthz');
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      expect(container.resources.requests).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container.resources.limits).toMatchObject({ memory: expect.any(String) });
      expect(pod.spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      // a read-only root filesystem leaves only mounted volumes to write to
      const mounts = container.volumeMounts.map((m: { mountPath: string }) => m.mountPath);
      expect(mounts).toEqual(expect.arrayContaining(['/tmp', '/data']));
      expect(pod.spec.serviceAccountName).toBe('taskstream');
      const service = find<Obj>(objects(), 'Service', `taskstream-${role}`);
      expect(pod.metadata.labels).toMatchObject(service.spec.selector);
      const pdb = find<Obj>(objects(), 'PodDisruptionBudget', `taskstream-${role}`);
      expect(pod.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
    },
  );

  it.each(roles)(
    'gives the %s role an environment the app accepts (config.ts) for the cloud shape',
    (role) => {
      const container = deployment(role).spec.template.spec.containers[0];
      const env: Record<string, string> = {};
      for (const from of container.envFrom ?? []) {
        const cm = find<Obj>(objects(), 'ConfigMap', from.configMapRef.name);
        Object.assign(env, cm.data);
      }
      // secrets are not in the render: stand in values of the shape their documentation asks for
      const placeholders: Record<string, string> = {
        DATABASE_URL: 'postgres://taskstream:secret@db.example.com:5432/taskstream',
        AUTH_SECRET: 'x'.repeat(48),
        SMTP_URL: 'smtps://user:pass@smtp.example.com:465',
      };
      for (const e of container.env as { name: string; value?: string; valueFrom?: unknown }[]) {
        env[e.name] = e.value ?? placeholders[e.name] ?? 'secret-value';
      }
      const config = loadConfig(env);
      expect([...config.roles]).toEqual([role]);
      expect(config).toMatchObject({ eventBus: 'dapr', scheduler: 'dapr', port: 8080, dataDir: '/data' });
      expect(config.baseUrl).toMatch(/^https:\/\//);
    },
  );

  it('autoscales the api and realtime roles', () => {
    for (const role of ['api', 'realtime']) {
      const hpa = find<Obj>(objects(), 'HorizontalPodAutoscaler', `taskstream-${role}`);
      expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: `taskstream-${role}` });
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    }
  });

  it('refers only to ConfigMaps and Secrets that are rendered or created by create-secrets.sh', () => {
    const present = new Set(
      objects()
        .filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret')
        .map((o) => `${o.kind}/${o.metadata.name}`),
    );
    const missing: string[] = [];
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) {
        for (const item of value) visit(item);
        return;
      }
      if (typeof value !== 'object' || value === null) return;
      // biome-ignore lint/suspicious/noExplicitAny: any object of the render may hold a reference
      const v = value as Record<string, any>;
      for (const [key, kind] of [
        ['configMapRef', 'ConfigMap'],
        ['configMapKeyRef', 'ConfigMap'],
        ['secretKeyRef', 'Secret'],
        ['secretRef', 'Secret'],
      ] as const) {
        const ref = v[key];
        if (!ref?.name || ref.optional || present.has(`${kind}/${ref.name}`)) continue;
        const external =
          kind === 'Secret' && overlay !== 'minikube' && createdBySecretsScript.includes(ref.name);
        if (!external) missing.push(`${kind}/${ref.name}`);
      }
      if (v.configMap?.name && !present.has(`ConfigMap/${v.configMap.name}`))
        missing.push(`ConfigMap/${v.configMap.name}`);
      for (const child of Object.values(v)) visit(child);
    };
    for (const o of objects()) visit(o);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('gives every role its own consumer group and every realtime pod its own (consumerID {podName})', () => {
    const meta = (c: Obj) =>
      Object.fromEntries(c.spec.metadata.map((m: MetadataItem) => [m.name, m.value ?? m.secretKeyRef]));
    const shared = find<Obj>(objects(), 'Component', 'kafka-pubsub');
    const fanout = find<Obj>(objects(), 'Component', 'kafka-pubsub-fanout');
    expect(meta(shared).consumerGroup).toBe('{appID}');
    expect(shared.scopes).toEqual([
      'taskstream-api',
      'taskstream-recurring',
      'taskstream-notifier',
      'taskstream-audit',
    ]);
    expect(meta(fanout).consumerID).toBe('{podName}');
    expect(meta(fanout).consumerGroup).toBeUndefined();
    expect(fanout.scopes).toEqual(['taskstream-realtime']);
    const realtimeEnv = deployment('realtime').spec.template.spec.containers[0].env;
    expect(realtimeEnv).toContainEqual({ name: 'DAPR_PUBSUB', value: 'kafka-pubsub-fanout' });
    const expected =
      overlay === 'minikube' ? { authType: 'none' } : { authType: 'password', saslMechanism: 'SHA-256' };
    for (const c of [shared, fanout]) expect(meta(c)).toMatchObject(expected);
  });

  it('declares the same subscriptions each role answers on GET /dapr/subscribe, with dead-letter topics', () => {
    const subs = objects().filter((o) => o.kind === 'Subscription');
    expect(subs.map((s) => s.spec.topic).sort()).toEqual([...topics].sort());
    for (const sub of subs) {
      const consumers = roles.filter(
        (r) => topicsByRole[r].includes(sub.spec.topic) || extraConsumers[sub.spec.topic]?.includes(r),
      );
      expect(sub.scopes?.slice().sort()).toEqual(consumers.map((r) => `taskstream-${r}`).sort());
      for (const role of consumers) {
        const env = deployment(role).spec.template.spec.containers[0].env as {
          name: string;
          value?: string;
        }[];
        const pubsub = env.find((e) => e.name === 'DAPR_PUBSUB')?.value ?? 'kafka-pubsub';
        // what the app itself would answer (topicsByRole alone lists the topic for realtime, notifier, audit)
        const programmatic = daprSubscriptions(pubsub, new Set([role]), [
          { topic: sub.spec.topic } as never,
        ]).find((s) => s.topic === sub.spec.topic);
        expect(sub.spec).toEqual(programmatic);
        find(objects(), 'Component', sub.spec.pubsubname);
      }
    }
  });

  it('creates every topic and its dead-letter topic', () => {
    const cm = objects().find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('taskstream-topics'),
    );
    const data = (cm?.data ?? {}) as Record<string, string>;
    const listed = (data['topics.txt'] ?? '').split('\n').filter(Boolean);
    expect(listed.sort()).toEqual([...topics, ...topics.map(deadLetterTopic)].sort());
  });

  it('binds the reminder sweep cron to the route the notifier serves, on the notifier only', () => {
    const cron = find<Obj>(objects(), 'Component', sweepBindingRoute.slice(1));
    expect(cron.spec.type).toBe('bindings.cron');
    expect(cron.scopes).toEqual(['taskstream-notifier']);
  });

  it('pairs every subscribed pub/sub component with an inbound retry and references only defined policies', () => {
    const resiliency = find<Obj>(objects(), 'Resiliency', 'taskstream');
    const { policies, targets } = resiliency.spec;
    const check = (refs: Record<string, string>) => {
      if (refs.timeout) expect(policies.timeouts).toHaveProperty([refs.timeout]);
      if (refs.retry) expect(policies.retries).toHaveProperty([refs.retry]);
      if (refs.circuitBreaker) expect(policies.circuitBreakers).toHaveProperty([refs.circuitBreaker]);
    };
    for (const [app, refs] of Object.entries<Record<string, string>>(targets.apps)) {
      expect(roles.map((r) => `taskstream-${r}`)).toContain(app);
      check(refs);
    }
    for (const [name, dirs] of Object.entries<Record<string, Record<string, string>>>(targets.components)) {
      find(objects(), 'Component', name);
      for (const refs of Object.values(dirs)) check(refs);
    }
    for (const sub of objects().filter((o) => o.kind === 'Subscription')) {
      expect(targets.components[sub.spec.pubsubname]?.inbound?.retry).toBeTruthy();
    }
    // an input binding with an inbound retry would retry every non-200 tick (contract §4)
    expect(targets.components[sweepBindingRoute.slice(1)]).toBeUndefined();
  });

  it('routes the WebSocket stream to the realtime role over TLS with long timeouts', () => {
    const ingress = find<Obj>(objects(), 'Ingress', 'taskstream');
    expect(ingress.spec.tls[0].secretName).toBeTruthy();
    expect(ingress.spec.tls[0].hosts).toEqual([ingress.spec.rules[0].host]);
    const annotations = ingress.metadata.annotations ?? {};
    expect(
      annotations['cert-manager.io/cluster-issuer'] ?? annotations['cert-manager.io/issuer'],
    ).toBeTruthy();
    const paths = ingress.spec.rules[0].http.paths;
    expect(paths.find((p: IngressPath) => p.path === '/api/v1/stream').backend.service.name).toBe(
      'taskstream-realtime',
    );
    expect(paths.find((p: IngressPath) => p.path === '/').backend.service.name).toBe('taskstream-api');
    if (overlay === 'gke') {
      expect(find<Obj>(objects(), 'BackendConfig', 'taskstream').spec.timeoutSec).toBeGreaterThanOrEqual(
        3600,
      );
    } else {
      expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(
        3600,
      );
    }
  });

  it('runs migrations as a Job without a sidecar, and denies ingress by default', () => {
    const job = find<Obj>(objects(), 'Job', 'taskstream-migrate');
    expect(job.spec.template.metadata.annotations['dapr.io/enabled']).toBe('false');
    expect(job.spec.template.spec.containers[0].command).toEqual(['taskstream', 'migrate']);
    const deny = find<Obj>(objects(), 'NetworkPolicy', 'default-deny-ingress');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });
});

describe('deploy.sh --render-only', () => {
  const images = (args: string[], env: Record<string, string> = {}) => {
    const out = execFileSync(`${deployDir}scripts/deploy.sh`, [...args, '--render-only'], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return [...new Set([...out.matchAll(/^\s+image: (\S+)$/gm)].map((m) => m[1]))].sort();
  };

  it('runs the image built into the cluster on minikube and kind', () => {
    expect(images(['kind', 'dev'])).toEqual([
      'docker.redpanda.com/redpandadata/redpanda:v25.1.2',
      'postgres:15-bookworm',
      'taskstream:dev',
    ]);
  });

  it('runs the released image tag from GHCR on a cloud overlay', () => {
    expect(images(['gke', 'sha-0123abc'], { IMAGE: 'ghcr.io/acme/taskstream' })).toEqual([
      'docker.redpanda.com/redpandadata/redpanda:v25.1.2',
      'ghcr.io/acme/taskstream:sha-0123abc',
    ]);
  });
});

describe('the validators themselves', () => {
  const objects = () => render('k8s/overlays/aks');

  it('report a misspelt field of a built-in object', () => {
    const d = structuredClone(find<Obj>(objects(), 'Deployment', 'taskstream-api'));
    const container = d.spec.template.spec.containers[0];
    container.readinesProbe = container.readinessProbe;
    delete container.readinessProbe;
    expect(unknownFields(d)).toEqual([
      'Deployment/taskstream-api.spec.template.spec.containers[0].readinesProbe',
    ]);
  });

  it('reject a Kafka component whose SASL mechanism Dapr would silently turn into PLAIN', () => {
    const validate = componentMetadataValidators.get('pubsub.kafka')!;
    const secret = { name: 'taskstream-kafka', key: 'x' };
    const base = { brokers: secret, authType: 'password', saslUsername: secret, saslPassword: secret };
    expect(validate({ ...base, saslMechanism: 'SHA-256' })).toBe(true);
    expect(validate({ ...base, saslMechanism: 'SCRAM-SHA-256' })).toBe(false);
    // consumerGroup would override the per-pod consumerID of the fan-out component
    expect(
      validate({ brokers: 'redpanda:9093', authType: 'none', consumerGroup: 'a', consumerID: '{podName}' }),
    ).toBe(false);
  });

  it('reject a Dapr resource with an unknown field', () => {
    const validate = crdValidators.get('dapr.io/v2alpha1/Subscription')!;
    const sub = structuredClone(find<Obj>(objects(), 'Subscription', 'task-events'));
    expect(validate(sub)).toBe(true);
    sub.spec.deadLetterTopics = sub.spec.deadLetterTopic;
    expect(validate(sub)).toBe(false);
  });
});
