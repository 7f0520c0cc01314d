import type { Role } from '../../config.ts';
import { type Topic, topics } from '../../infra/events/cloud-event.ts';
import type { Subscription } from '../../infra/events/event-bus.ts';

/**
 * Topics each role consumes. `/dapr/subscribe` lists the topics of the roles running in this process, plus
 * any topic a handler was subscribed to, so the sidecar subscribes even before a role's handler lands (its
 * events are then kept for redelivery, never acknowledged unhandled). A role module attaches its handler with
 * `infra.bus.subscribe({ consumer: '<role>', topic, handle })` in buildApp.
 */
export const topicsByRole: Readonly<Record<Role, readonly Topic[]>> = {
  api: [],
  realtime: ['task-updates'],
  recurring: [],
  notifier: ['reminders'],
  audit: ['task-events'],
};

/** Dead-letter topic of a subscription (contract §1.3): events the app answers DROP (or 404) to go there. */
export function deadLetterTopic(topic: Topic): string {
  return `${topic}-dlq`;
}

/** Route the sidecar delivers a topic to. One route per topic: Dapr allows one subscription per topic per app. */
export function topicRoute(topic: Topic): string {
  return `/dapr/topics/${topic}`;
}

export interface DaprSubscriptionJson {
  pubsubname: string;
  topic: string;
  routes: { default: string };
  deadLetterTopic: string;
  metadata: Record<string, string>;
}

/** The body of `GET /dapr/subscribe` (contract §1.3), in the fixed topic order. */
export function daprSubscriptions(
  pubsub: string,
  roles: ReadonlySet<Role>,
  subs: readonly Subscription[],
): DaprSubscriptionJson[] {
  const wanted = new Set<Topic>(subs.map((s) => s.topic));
  for (const role of roles) for (const t of topicsByRole[role]) wanted.add(t);
  return topics
    .filter((t) => wanted.has(t))
    .map((topic) => ({
      pubsubname: pubsub,
      topic,
      routes: { default: topicRoute(topic) },
      deadLetterTopic: deadLetterTopic(topic),
      metadata: { rawPayload: 'false' },
    }));
}
