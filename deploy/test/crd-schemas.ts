import { Ajv, type ValidateFunction } from 'ajv';

/**
 * JSON schemas for the custom resources in deploy/, written from their documented fields (Dapr:
 * reference/dapr-http-contract.md §1.4, §2, §4–§8 and docs.dapr.io's Component, Subscription, Configuration and
 * Resiliency specs; cert-manager, GKE and prometheus-operator: their API references). Unknown fields are
 * errors: a misspelt key would be ignored by the controller, not rejected.
 */

const duration = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' };
const name = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const stringList = { type: 'array', items: { type: 'string' } };

const objectMeta = {
  type: 'object',
  required: ['name'],
  properties: {
    name,
    namespace: name,
    labels: stringMap,
    annotations: stringMap,
  },
  additionalProperties: false,
};

function resource(apiVersion: string, kind: string, spec: object, extra: Record<string, object> = {}) {
  return {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: apiVersion },
      kind: { const: kind },
      metadata: objectMeta,
      spec,
      ...extra,
    },
    additionalProperties: false,
  };
}

const scopes = { type: 'array', items: name, uniqueItems: true, minItems: 1 };
const strictObject = (properties: Record<string, object>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

// ---- Dapr ----

const componentMetadataItem = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    value: { type: ['string', 'number', 'boolean'] },
    secretKeyRef: strictObject({ name, key: { type: 'string', minLength: 1 } }, ['name', 'key']),
    envRef: { type: 'string' },
  },
  additionalProperties: false,
  // exactly one source per field
  oneOf: [{ required: ['value'] }, { required: ['secretKeyRef'] }, { required: ['envRef'] }],
};

const component = resource(
  'dapr.io/v1alpha1',
  'Component',
  strictObject(
    {
      type: {
        type: 'string',
        pattern:
          '^(pubsub|state|bindings|secretstores|configuration|lock|middleware\\.http|nameresolution|crypto|conversation|workflow)\\.[a-z0-9.-]+$',
      },
      version: { type: 'string', pattern: '^v[0-9]+$' },
      ignoreErrors: { type: 'boolean' },
      initTimeout: duration,
      metadata: { type: 'array', items: componentMetadataItem },
    },
    ['type', 'version'],
  ),
  { auth: strictObject({ secretStore: name }, ['secretStore']), scopes },
);

/** Metadata of the component types used here, as a name → value map (a secretKeyRef counts as set). */
const metadataValue = (schema: object) => ({
  anyOf: [schema, strictObject({ name, key: { type: 'string' } }, ['name', 'key'])],
});
const componentTypeMetadata: Record<string, object> = {
  // contract §2: authType is required; SHA-256/SHA-512 select SCRAM and anything else silently means PLAIN
  'pubsub.kafka': {
    type: 'object',
    required: ['brokers', 'authType'],
    properties: {
      brokers: metadataValue({ type: 'string', pattern: '^[^,\\s]+:[0-9]+(,[^,\\s]+:[0-9]+)*$' }),
      authType: {
        enum: ['none', 'password', 'mtls', 'oidc', 'oidc_private_key_jwt', 'certificate', 'awsiam'],
      },
      saslMechanism: { enum: ['SHA-256', 'SHA-512', 'PLAINTEXT'] },
      saslUsername: metadataValue({ type: 'string' }),
      saslPassword: metadataValue({ type: 'string' }),
      consumerGroup: { type: 'string' },
      consumerID: { type: 'string' },
      clientID: { type: 'string' },
      initialOffset: { enum: ['newest', 'oldest'] },
      consumerGroupRebalanceStrategy: { enum: ['range', 'sticky', 'roundrobin'] },
      maxMessageBytes: { type: 'string', pattern: '^[0-9]+$' },
      disableTls: { enum: ['true', 'false'] },
      skipVerify: { enum: ['true', 'false'] },
      caCert: metadataValue({ type: 'string' }),
    },
    additionalProperties: false,
    // SASL needs credentials; `consumerGroup` overrides `consumerID` (contract §1.7), so never both
    allOf: [
      {
        if: { properties: { authType: { const: 'password' } } },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
        then: { required: ['saslUsername', 'saslPassword', 'saslMechanism'] },
      },
      { not: { required: ['consumerGroup', 'consumerID'] } },
    ],
  },
  'state.postgresql': {
    type: 'object',
    required: ['connectionString'],
    properties: {
      connectionString: metadataValue({ type: 'string', pattern: '^postgres(ql)?://' }),
      tablePrefix: { type: 'string' },
      tableName: { type: 'string' },
      metadataTableName: { type: 'string' },
      timeout: duration,
      cleanupInterval: duration,
      maxConns: { type: 'string', pattern: '^[0-9]+$' },
      connectionMaxIdleTime: duration,
      queryExecMode: {
        enum: ['simple_protocol', 'exec', 'cache_statement', 'cache_describe', 'describe_exec'],
      },
    },
    additionalProperties: false,
  },
  'bindings.cron': {
    type: 'object',
    required: ['schedule'],
    properties: {
      schedule: {
        type: 'string',
        pattern:
          '^(@every [0-9a-z.]+|@(yearly|monthly|weekly|daily|hourly)|(CRON_TZ=\\S+ )?\\S+( \\S+){4,5})$',
      },
      direction: { enum: ['input', 'output', 'input, output'] },
      route: { type: 'string', pattern: '^/' },
    },
    additionalProperties: false,
  },
  'secretstores.kubernetes': {
    type: 'object',
    properties: { defaultNamespace: name, kubeconfigPath: { type: 'string' } },
    additionalProperties: false,
  },
};

const subscription = resource(
  'dapr.io/v2alpha1',
  'Subscription',
  strictObject(
    {
      pubsubname: name,
      topic: { type: 'string', minLength: 1 },
      routes: strictObject({
        rules: {
          type: 'array',
          items: strictObject({ match: { type: 'string' }, path: { type: 'string', pattern: '^/' } }, [
            'match',
            'path',
          ]),
        },
        default: { type: 'string', pattern: '^/' },
      }),
      deadLetterTopic: { type: 'string', minLength: 1 },
      metadata: stringMap,
      bulkSubscribe: strictObject(
        {
          enabled: { type: 'boolean' },
          maxMessagesCount: { type: 'integer', minimum: 1 },
          maxAwaitDurationMs: { type: 'integer', minimum: 1 },
        },
        ['enabled'],
      ),
    },
    ['pubsubname', 'topic', 'routes'],
  ),
  { scopes },
);

const configuration = resource(
  'dapr.io/v1alpha1',
  'Configuration',
  strictObject({
    tracing: strictObject({
      samplingRate: { type: 'string', pattern: '^(0|1|0?\\.[0-9]+|1\\.0+)$' },
      stdout: { type: 'boolean' },
      otel: strictObject(
        {
          endpointAddress: { type: 'string', minLength: 1 },
          isSecure: { type: 'boolean' },
          protocol: { enum: ['grpc', 'http'] },
        },
        ['endpointAddress'],
      ),
      zipkin: strictObject({ endpointAddress: { type: 'string', pattern: '^https?://' } }, [
        'endpointAddress',
      ]),
    }),
    metric: strictObject({ enabled: { type: 'boolean' }, recordErrorCodes: { type: 'boolean' } }),
    metrics: strictObject({ enabled: { type: 'boolean' } }),
    secrets: strictObject({
      scopes: {
        type: 'array',
        items: strictObject(
          {
            storeName: name,
            defaultAccess: { enum: ['allow', 'deny'] },
            allowedSecrets: stringList,
            deniedSecrets: stringList,
          },
          ['storeName'],
        ),
      },
    }),
    features: {
      type: 'array',
      items: strictObject({ name: { type: 'string' }, enabled: { type: 'boolean' } }, ['name', 'enabled']),
    },
    logging: strictObject({
      apiLogging: strictObject({ enabled: { type: 'boolean' }, obfuscateURLs: { type: 'boolean' } }),
    }),
  }),
);

const policyRefs = {
  timeout: { type: 'string' },
  retry: { type: 'string' },
  circuitBreaker: { type: 'string' },
};
const resiliency = resource(
  'dapr.io/v1alpha1',
  'Resiliency',
  strictObject(
    {
      policies: strictObject({
        timeouts: { type: 'object', additionalProperties: duration },
        retries: {
          type: 'object',
          additionalProperties: strictObject({
            policy: { enum: ['constant', 'exponential'] },
            duration,
            maxInterval: duration,
            maxRetries: { type: 'integer', minimum: -1 },
            matching: strictObject({
              httpStatusCodes: { type: 'string', pattern: '^[0-9]{3}(-[0-9]{3})?(,[0-9]{3}(-[0-9]{3})?)*$' },
              gRPCStatusCodes: { type: 'string', pattern: '^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$' },
            }),
          }),
        },
        circuitBreakers: {
          type: 'object',
          additionalProperties: strictObject(
            {
              maxRequests: { type: 'integer', minimum: 1 },
              interval: duration,
              timeout: duration,
              trip: { type: 'string', minLength: 1 },
            },
            ['trip'],
          ),
        },
      }),
      targets: strictObject({
        apps: { type: 'object', additionalProperties: strictObject(policyRefs) },
        actors: { type: 'object', additionalProperties: { type: 'object' } },
        components: {
          type: 'object',
          additionalProperties: strictObject({
            outbound: strictObject(policyRefs),
            inbound: strictObject(policyRefs),
          }),
        },
      }),
    },
    ['policies', 'targets'],
  ),
  { scopes },
);

// ---- other custom resources used by the overlays and deploy/observability ----

const issuer = resource('cert-manager.io/v1', 'Issuer', {
  type: 'object',
  properties: { selfSigned: { type: 'object' }, ca: { type: 'object' }, acme: { type: 'object' } },
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
});

const backendConfig = resource(
  'cloud.google.com/v1',
  'BackendConfig',
  strictObject({
    timeoutSec: { type: 'integer', minimum: 1, maximum: 86400 },
    connectionDraining: strictObject({ drainingTimeoutSec: { type: 'integer', minimum: 0, maximum: 3600 } }),
    healthCheck: strictObject({
      type: { enum: ['HTTP', 'HTTPS', 'HTTP2'] },
      requestPath: { type: 'string', pattern: '^/' },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      checkIntervalSec: { type: 'integer', minimum: 1 },
      timeoutSec: { type: 'integer', minimum: 1 },
      healthyThreshold: { type: 'integer', minimum: 1 },
      unhealthyThreshold: { type: 'integer', minimum: 1 },
    }),
  }),
);

const relabelings = {
  type: 'array',
  items: strictObject({
    sourceLabels: stringList,
    targetLabel: { type: 'string' },
    action: { type: 'string' },
    regex: { type: 'string' },
    replacement: { type: 'string' },
  }),
};
const selector = strictObject({ matchLabels: stringMap, matchExpressions: { type: 'array' } });
const namespaceSelector = strictObject({ matchNames: stringList, any: { type: 'boolean' } });
const endpoint = strictObject({
  port: { type: 'string' },
  path: { type: 'string', pattern: '^/' },
  interval: duration,
  scrapeTimeout: duration,
  relabelings,
  metricRelabelings: relabelings,
});
const serviceMonitor = resource(
  'monitoring.coreos.com/v1',
  'ServiceMonitor',
  strictObject({ namespaceSelector, selector, endpoints: { type: 'array', items: endpoint, minItems: 1 } }, [
    'selector',
    'endpoints',
  ]),
);
const podMonitor = resource(
  'monitoring.coreos.com/v1',
  'PodMonitor',
  strictObject(
    { namespaceSelector, selector, podMetricsEndpoints: { type: 'array', items: endpoint, minItems: 1 } },
    ['selector', 'podMetricsEndpoints'],
  ),
);
const rule = {
  type: 'object',
  properties: {
    record: { type: 'string', pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$' },
    alert: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$' },
    expr: { type: 'string', minLength: 1 },
    for: duration,
    labels: stringMap,
    annotations: stringMap,
  },
  required: ['expr'],
  additionalProperties: false,
  oneOf: [{ required: ['record'] }, { required: ['alert'] }],
};
const prometheusRule = resource(
  'monitoring.coreos.com/v1',
  'PrometheusRule',
  strictObject({
    groups: {
      type: 'array',
      items: strictObject(
        { name: { type: 'string' }, interval: duration, rules: { type: 'array', items: rule } },
        ['name', 'rules'],
      ),
    },
  }),
);

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });

/** Validators by `apiVersion/kind` for every custom resource kind deploy/ may contain. */
export const crdValidators: ReadonlyMap<string, ValidateFunction> = new Map(
  [
    component,
    subscription,
    configuration,
    resiliency,
    issuer,
    backendConfig,
    serviceMonitor,
    podMonitor,
    prometheusRule,
  ].map((schema) => [
    `${schema.properties.apiVersion.const}/${schema.properties.kind.const}`,
    ajv.compile(schema),
  ]),
);

/** Validators of a Dapr component's metadata (as a name → value map) for the component types used here. */
export const componentMetadataValidators: ReadonlyMap<string, ValidateFunction> = new Map(
  Object.entries(componentTypeMetadata).map(([type, schema]) => [type, ajv.compile(schema)]),
);

export function errorsText(validate: ValidateFunction): string {
  return ajv.errorsText(validate.errors, { separator: '\n' });
}
