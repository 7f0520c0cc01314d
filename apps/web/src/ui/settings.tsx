'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { call, client, errorMessage } from '../api/http';
import { useSession, useSignOut } from '../data/session';
import { keys } from '../data/task-cache';
import { browserTimeZone, timeZones } from '../lib/dates';
import { type ThemeChoice, useTheme } from './theme';
import { useToasts } from './toasts';

const field =
  'mt-1 block w-full max-w-sm rounded-md border border-zinc-400 bg-white px-2 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900';
const section = 'space-y-3 border-b border-zinc-200 pb-6 dark:border-zinc-800';
const button = 'rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-60';

function Tokens() {
  const toasts = useToasts();
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: ({ signal }) => call(client.GET('/api/v1/tokens', { signal })).then((r) => r.items),
  });
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  return (
    <section className={section} aria-labelledby="tokens-h">
      <h2 id="tokens-h" className="text-lg font-semibold">
        Personal access tokens
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        For scripts, the REST API and MCP clients: send <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const r = await call(client.POST('/api/v1/tokens', { body: { name: name.trim() } }));
            setCreated(r.token);
            setCopied(false);
            setName('');
            void tokens.refetch();
          } catch (err) {
            toasts.show({ kind: 'error', text: `Could not create the token: ${errorMessage(err)}` });
          }
        }}
      >
        <label className="text-sm font-medium">
          Token name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
            className={field}
          />
        </label>
        <button type="submit" className={button}>
          Create token
        </button>
      </form>
      {created && (
        <div
          role="status"
          className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-950 dark:bg-emerald-950 dark:text-emerald-50"
        >
          <p className="font-semibold">Copy your new token now — it is shown only once.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-white px-2 py-1 text-zinc-900 dark:bg-zinc-900 dark:text-zinc-100">
              {created}
            </code>
            <button
              type="button"
              className={button}
              onClick={async () => {
                await navigator.clipboard.writeText(created).catch(() => undefined);
                setCopied(true);
              }}
            >
              {copied ? 'Copied' : 'Copy token'}
            </button>
          </div>
        </div>
      )}
      <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
        {(tokens.data ?? []).map((t) => (
          <li key={t.id} className="flex items-center justify-between py-2 text-sm">
            <span>
              <span className="font-medium">{t.name}</span>{' '}
              <code className="text-zinc-600 dark:text-zinc-400">{t.prefix}…</code>
              <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                Created {new Date(t.created_at).toLocaleDateString()} ·{' '}
                {t.last_used_at ? `last used ${new Date(t.last_used_at).toLocaleString()}` : 'never used'}
              </span>
            </span>
            <button
              type="button"
              className="text-red-700 underline dark:text-red-300"
              aria-label={`Revoke token ${t.name}`}
              onClick={async () => {
                try {
                  await call(client.DELETE('/api/v1/tokens/{id}', { params: { path: { id: t.id } } }));
                  void tokens.refetch();
                } catch (err) {
                  toasts.show({ kind: 'error', text: errorMessage(err) });
                }
              }}
            >
              Revoke
            </button>
          </li>
        ))}
        {tokens.data?.length === 0 && (
          <li className="py-2 text-sm text-zinc-600 dark:text-zinc-400">No tokens yet.</li>
        )}
      </ul>
    </section>
  );
}

/** Account, time zone, appearance, notifications and tokens. */
export function Settings() {
  const qc = useQueryClient();
  const toasts = useToasts();
  const session = useSession();
  const signOut = useSignOut();
  const [theme, setTheme] = useTheme();
  const settings = useQuery({
    queryKey: keys.settings,
    queryFn: ({ signal }) => call(client.GET('/api/v1/settings', { signal })),
  });
  const [tz, setTz] = useState('');
  useEffect(() => {
    if (settings.data) setTz(settings.data.time_zone);
  }, [settings.data]);
  const zones = useMemo(timeZones, []);
  const [browserOn, setBrowserOn] = useState(false);
  useEffect(() => {
    setBrowserOn(
      typeof Notification !== 'undefined' &&
        Notification.permission === 'granted' &&
        localStorage.getItem('browser-notifications') === 'on',
    );
  }, []);

  return (
    <div className="h-full overflow-y-auto">
      <div className="mx-auto max-w-2xl space-y-6 p-4 sm:p-6">
        <h1 className="text-2xl font-bold tracking-tight">Settings</h1>
        <section className={section} aria-labelledby="account-h">
          <h2 id="account-h" className="text-lg font-semibold">
            Account
          </h2>
          <p className="text-sm">
            {session.data?.name} · {session.data?.email}
          </p>
          <button
            type="button"
            onClick={() => void signOut()}
            className="rounded-md border border-zinc-400 px-3 py-1.5 text-sm dark:border-zinc-600"
          >
            Sign out
          </button>
        </section>
        <section className={section} aria-labelledby="tz-h">
          <h2 id="tz-h" className="text-lg font-semibold">
            Time zone
          </h2>
          <form
            className="flex flex-wrap items-end gap-2"
            onSubmit={async (e) => {
              e.preventDefault();
              try {
                await call(client.PATCH('/api/v1/settings', { body: { time_zone: tz } }));
                void qc.invalidateQueries();
                toasts.show({ text: `Time zone set to ${tz}` });
              } catch (err) {
                toasts.show({ kind: 'error', text: errorMessage(err) });
              }
            }}
          >
            <label className="text-sm font-medium">
              Your time zone
              <input
                list="settings-tz"
                value={tz}
                onChange={(e) => setTz(e.target.value)}
                className={field}
              />
              <datalist id="settings-tz">
                {zones.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </label>
            <button type="submit" className={button}>
              Save time zone
            </button>
            <button type="button" className="text-sm underline" onClick={() => setTz(browserTimeZone())}>
              Use this device’s ({browserTimeZone()})
            </button>
          </form>
        </section>
        <section className={section} aria-labelledby="theme-h">
          <h2 id="theme-h" className="text-lg font-semibold">
            Appearance
          </h2>
          <label className="text-sm font-medium">
            Theme
            <select value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)} className={field}>
              <option value="system">Follow the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
        </section>
        <section className={section} aria-labelledby="notif-h">
          <h2 id="notif-h" className="text-lg font-semibold">
            Notifications
          </h2>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={browserOn}
              onChange={async (e) => {
                if (!e.target.checked) {
                  localStorage.setItem('browser-notifications', 'off');
                  setBrowserOn(false);
                  return;
                }
                if (typeof Notification === 'undefined') {
                  toasts.show({ kind: 'error', text: 'This browser does not support notifications.' });
                  return;
                }
                const permission = await Notification.requestPermission();
                if (permission !== 'granted') {
                  toasts.show({
                    kind: 'error',
                    text: 'Notifications are blocked for this site in the browser settings.',
                  });
                  return;
                }
                localStorage.setItem('browser-notifications', 'on');
                setBrowserOn(true);
              }}
            />
            Show reminders as browser notifications on this device
          </label>
        </section>
        <Tokens />
      </div>
    </div>
  );
}
