import type { Task } from '../api/types';

/** `YYYY-MM-DD` and `HH:MM` of an instant in a zone. */
export function localParts(at: Date, tz: string): { date: string; time: string } {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' });
const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const dayMonthYear = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const longDay = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  timeZone: 'UTC',
});

/** "Today", "Tomorrow", "Fri", "3 Dec", "3 Dec 2027" for a calendar date seen from `today`. */
export function relativeDay(date: string, today: string): string {
  const diff = daysBetween(today, date);
  if (diff === 0) return 'Today';
  if (diff === 1) return 'Tomorrow';
  if (diff === -1) return 'Yesterday';
  const d = new Date(`${date}T00:00:00Z`);
  if (diff > 1 && diff < 7) return weekday.format(d);
  return date.slice(0, 4) === today.slice(0, 4) ? dayMonth.format(d) : dayMonthYear.format(d);
}

/** A day heading such as "Monday 1 December". */
export function dayHeading(date: string): string {
  return longDay.format(new Date(`${date}T00:00:00Z`));
}

/** The due date as the user reads it ("Tomorrow 17:00"), in the user's zone, and whether it is overdue. */
export function formatDue(
  task: Task,
  now: Date,
  userTz: string,
): { text: string; overdue: boolean; date: string } | null {
  const due = task.due;
  if (!due) return null;
  const today = localParts(now, userTz).date;
  if (due.all_day) {
    const date = due.local.slice(0, 10);
    return { text: relativeDay(date, today), overdue: task.status === 'open' && date < today, date };
  }
  const at = new Date(due.at);
  const { date, time } = localParts(at, userTz);
  return {
    text: `${relativeDay(date, today)} ${time}`,
    overdue: task.status === 'open' && at.getTime() < now.getTime(),
    date,
  };
}

/** The browser's IANA zone (what a new account is set to). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every IANA zone the browser knows, for zone pickers (empty where Intl cannot list them). */
export function timeZones(): string[] {
  try {
    return (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

const ago = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

/** How long before `now` an instant was, as "now", "5 min. ago", "yesterday", "3 days ago"… */
export function timeAgo(at: string, now: Date): string {
  const seconds = Math.round((new Date(at).getTime() - now.getTime()) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 7],
    ['week', 4.35],
    ['month', 12],
  ];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return unit === 'second' ? ago.format(0, 'second') : ago.format(value, unit);
    value = Math.round(value / size);
  }
  return ago.format(value, 'year');
}
