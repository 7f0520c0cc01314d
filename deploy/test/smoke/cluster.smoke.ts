/**
 * Smoke test of a deployed Taskstream (the kind job of .github/workflows/e2e-kind.yml runs it through
 * `kubectl port-forward`): a user signs up, opens the live stream on the realtime role, creates a task with
 * a reminder a minute ahead and completes it; the test waits for the live update, the reminder's notification,
 * the recurring role's next occurrence and the audit role's history (reached by service invocation).
 *   API_URL=http://127.0.0.1:8080 STREAM_URL=ws://127.0.0.1:8081 ORIGIN=https://taskstream.local \
 *     npx tsx deploy/test/smoke/cluster.smoke.ts
 */
import WebSocket from 'ws';

const api = process.env.API_URL ?? 'http://127.0.0.1:8080';
const stream = process.env.STREAM_URL ?? api.replace(/^http/, 'ws');
// better-auth refuses a POST without the app's own origin (BASE_URL of the overlay)
const origin = process.env.ORIGIN ?? 'https://taskstream.local';
const deadline = Date.now() + Number(process.env.SMOKE_TIMEOUT_MS ?? 240_000);

function step(message: string): void {
  process.stdout.write(`[${new Date().toISOString()}] ${message}\n`);
}

async function call<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: {
      origin,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

interface Task {
  id: string;
  title: string;
  status: string;
}

async function main(): Promise<void> {
  const email = `smoke-${Date.now()}@example.com`;
  const password = 'smoke-test-password-1234';
  await call('POST', '/api/auth/sign-up/email', undefined, {
    email,
    password,
    name: 'Smoke',
    timeZone: 'UTC',
  });
  const { token } = await call<{ token: string }>('POST', '/api/auth/sign-in/email', undefined, {
    email,
    password,
  });
  step('signed up and signed in');

  const received: { type: string; data?: unknown }[] = [];
  const socket = new WebSocket(`${stream}/api/v1/stream?access_token=${encodeURIComponent(token)}`, {
    headers: { origin },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.on('message', (raw) => received.push(JSON.parse(String(raw))));
  step('live stream open on the realtime role');

  const due = new Date(Date.now() + 60_000).toISOString();
  const task = await call<Task>('POST', '/api/v1/tasks', token, {
    title: 'Smoke: water the plants',
    due: { at: due, tz: 'UTC' },
    recurrence: { rrule: 'FREQ=DAILY', mode: 'due' },
    reminders: [{ at: due }],
  });
  step(`created recurring task ${task.id} due ${due}`);

  await eventually('the live update of the new task', async () =>
    received.find((m) => m.type === 'task.state_changed') ? true : undefined,
  );
  step('live update received over the WebSocket');

  await eventually('the reminder notification', async () =>
    received.find((m) => m.type === 'notification.created') ? true : undefined,
  );
  step('reminder delivered live (notifier → reminders topic → realtime)');

  await call('POST', `/api/v1/tasks/${task.id}/complete`, token);
  const next = await eventually('the next occurrence', async () => {
    const page = await call<{ items: Task[] }>('GET', '/api/v1/tasks?status=open', token);
    return page.items.find((t) => t.id !== task.id && t.title === task.title);
  });
  step(`recurring role created the next occurrence ${next.id}`);

  const history = await eventually('the activity log', async () => {
    const h = await call<{ items: { type: string }[] }>('GET', `/api/v1/tasks/${task.id}/history`, token);
    const types = h.items.map((i) => i.type);
    return types.includes('task.created') && types.includes('task.completed') ? types : undefined;
  });
  step(`audit role recorded ${history.join(', ')}`);
  socket.close();
}

main().then(
  () => step('smoke test passed'),
  (err: unknown) => {
    process.stderr.write(`smoke test failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
