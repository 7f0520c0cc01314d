import type { FastifyInstance } from 'fastify';
import type { Role } from '../../config.ts';
import type { Db } from '../../infra/db/db.ts';
import { type Topic, topics } from '../../infra/events/cloud-event.ts';
import { deliverToSubscribers, parseCloudEvent } from '../../infra/events/dispatch.ts';
import type { EventBus } from '../../infra/events/event-bus.ts';
import type { InternalCallGuard } from '../../infra/invoke/internal-guard.ts';
import { daprSubscriptions, topicRoute } from './dapr.subscriptions.ts';

export interface DaprRoutesOptions {
  bus: EventBus;
  db: Db;
  pubsub: string;
  roles: ReadonlySet<Role>;
  guard: InternalCallGuard;
}

/**
 * Dapr-facing routes (registered only when EVENT_BUS=dapr; sidecar calls only):
 * `GET /dapr/subscribe` and `POST /dapr/topics/<topic>`.
 *
 * Answers follow reference/dapr-http-contract.md §1.6 exactly: always 200 with `{"status": "SUCCESS" |
 * "RETRY" | "DROP"}`. A body that is not a Taskstream CloudEvent can never succeed, so it is DROPped (and
 * logged) rather than answered 400, which Kafka would retry forever (pitfall §10.1).
 */
export async function daprRoutes(app: FastifyInstance, opts: DaprRoutesOptions) {
  const { bus, db, guard } = opts;
  // the sidecar posts application/cloudevents+json; parse it ourselves so bad JSON becomes DROP, not 400
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    ['application/cloudevents+json', 'application/json'],
    { parseAs: 'string', bodyLimit: 1024 * 1024 },
    (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(null, { __unparseable: true });
      }
    },
  );
  app.addHook('preHandler', guard.requireSidecar);

  app.get('/dapr/subscribe', { schema: { hide: true } }, async () =>
    daprSubscriptions(opts.pubsub, opts.roles, bus.subscriptions()),
  );

  for (const topic of topics) {
    app.post(topicRoute(topic), { schema: { hide: true } }, async (req) => {
      const header = req.headers.traceparent;
      const event = parseCloudEvent(req.body, typeof header === 'string' ? header : undefined);
      if (!event) {
        req.log.error(
          { topic, traceparent: header, pubsub: req.headers.pubsubname },
          'dropping a delivery that is not a Taskstream CloudEvent',
        );
        return { status: 'DROP' };
      }
      const subs = bus.subscriptions().filter((s) => s.topic === (topic as Topic));
      const log = req.log.child({ traceparent: event.traceparent, event_id: event.id, topic });
      const status = await deliverToSubscribers(db, subs, event, topic, log);
      return { status };
    });
  }
}
