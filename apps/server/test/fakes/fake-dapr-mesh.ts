/**
 * Several fake sidecars joined the way one Dapr cluster joins its pods (the cloud shape run in a test):
 * - pub/sub: a publish through any sidecar reaches every app subscribed to the topic, each app id being its
 *   own consumer group (on Kafka, Dapr's default consumer group is the app id), so each role sees each event;
 * - service invocation by app id: `/v1.0/invoke/<app-id>/…` on any sidecar reaches that app;
 * - Jobs API per app (the scheduler triggers the app that scheduled the job) and State / Secrets per sidecar.
 * Every wire behaviour is the single sidecar's (fake-dapr-sidecar.ts, fake-dapr-jobs.ts, fake-dapr-state.ts).
 */
import { FakeJobsApi } from './fake-dapr-jobs.ts';
import { FakeDaprSidecar, type FakeSidecarOptions, type PublishedMessage } from './fake-dapr-sidecar.ts';
import { FakeStateApi } from './fake-dapr-state.ts';

export interface MeshMember {
  appId: string;
  sidecar: FakeDaprSidecar;
  jobs: FakeJobsApi;
  state: FakeStateApi;
}

export class FakeDaprMesh {
  readonly members = new Map<string, MeshMember>();

  constructor(
    private readonly opts: Omit<FakeSidecarOptions, 'appId' | 'appUrl' | 'apps'> & {
      secrets?: Record<string, Record<string, Record<string, string>>>;
    } = {},
  ) {}

  /** Adds a sidecar for `appId` and starts it (the app is started next to it, then `connect`ed). */
  async add(appId: string): Promise<MeshMember> {
    const { secrets, ...sidecarOptions } = this.opts;
    const sidecar = new FakeDaprSidecar({ ...sidecarOptions, appId, apps: {} });
    sidecar.mesh = this;
    const member: MeshMember = {
      appId,
      sidecar,
      jobs: new FakeJobsApi(sidecar),
      state: new FakeStateApi(sidecar, secrets ? { secrets } : {}),
    };
    this.members.set(appId, member);
    await sidecar.start();
    return member;
  }

  /**
   * The app of `appId` listens at `appUrl`: its sidecar reads its subscriptions (as daprd does once the app
   * port answers) and every sidecar can now invoke it by app id.
   */
  async connect(appId: string, appUrl: string): Promise<void> {
    const member = this.members.get(appId);
    if (!member) throw new Error(`no sidecar for ${appId}`);
    member.sidecar.opts.appUrl = appUrl;
    for (const m of this.members.values()) m.sidecar.opts.apps[appId] = appUrl;
    await member.sidecar.loadSubscriptions();
  }

  /** Fan-out: every member whose app subscribes to the topic gets its own copy (its own consumer group). */
  publish(msg: PublishedMessage): void {
    for (const m of this.members.values()) m.sidecar.receive(msg);
  }

  /** Every message published through any sidecar of the mesh. */
  published(topic?: string): PublishedMessage[] {
    return [...this.members.values()].flatMap((m) =>
      topic ? m.sidecar.messages(topic) : m.sidecar.published,
    );
  }

  async stop(): Promise<void> {
    for (const m of this.members.values()) await m.jobs.stop();
    await Promise.all([...this.members.values()].map((m) => m.sidecar.stop()));
  }
}
