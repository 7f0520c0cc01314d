'use client';
import type { ParsedRule, RecurrenceWeekday } from '@taskstream/core';
import { useEffect, useState } from 'react';
import { useCore } from '../lib/core';

type Core = NonNullable<ReturnType<typeof useCore>>;

const WEEKDAYS: [RecurrenceWeekday, string][] = [
  ['MO', 'Mon'],
  ['TU', 'Tue'],
  ['WE', 'Wed'],
  ['TH', 'Thu'],
  ['FR', 'Fri'],
  ['SA', 'Sat'],
  ['SU', 'Sun'],
];
const FREQS = [
  ['DAILY', 'day(s)'],
  ['WEEKLY', 'week(s)'],
  ['MONTHLY', 'month(s)'],
  ['YEARLY', 'year(s)'],
] as const;

/** The editable form of a rule; what the custom editor shows. */
interface Draft {
  freq: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  interval: number;
  weekdays: RecurrenceWeekday[];
  monthly: 'day' | 'nth';
  monthDay: number;
  nth: number;
  nthWeekday: RecurrenceWeekday;
  ends: 'never' | 'on' | 'after';
  until: string;
  count: number;
}

const jsDayToWeekday: RecurrenceWeekday[] = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

function draftFrom(core: Core | null, rrule: string | null, dueDate: string | null): Draft {
  const anchor = dueDate ? new Date(`${dueDate}T00:00:00Z`) : new Date();
  const base: Draft = {
    freq: 'WEEKLY',
    interval: 1,
    weekdays: [jsDayToWeekday[anchor.getUTCDay()]!],
    monthly: 'day',
    monthDay: anchor.getUTCDate(),
    nth: Math.min(4, Math.ceil(anchor.getUTCDate() / 7)),
    nthWeekday: jsDayToWeekday[anchor.getUTCDay()]!,
    ends: 'never',
    until: '',
    count: 10,
  };
  if (!rrule || !core) return base;
  try {
    const r = core.parseRecurrence(rrule);
    const nthDay = r.byDay.find((d) => d.ordinal !== undefined);
    return {
      ...base,
      freq: r.freq === 'HOURLY' ? 'DAILY' : r.freq,
      interval: r.interval,
      weekdays: r.byDay.filter((d) => d.ordinal === undefined).map((d) => d.weekday),
      monthly: nthDay ? 'nth' : 'day',
      monthDay: r.byMonthDay[0] ?? base.monthDay,
      nth: nthDay?.ordinal ?? base.nth,
      nthWeekday: nthDay?.weekday ?? base.nthWeekday,
      ends: r.count !== undefined ? 'after' : r.until ? 'on' : 'never',
      until:
        r.until?.kind === 'date'
          ? r.until.date
          : r.until?.kind === 'local'
            ? r.until.dateTime.slice(0, 10)
            : '',
      count: r.count ?? 10,
    };
  } catch {
    return base;
  }
}

function ruleOf(core: Core, d: Draft): string {
  const rule: ParsedRule = {
    freq: d.freq,
    interval: Math.max(1, Math.min(999, Math.round(d.interval) || 1)),
    ...(d.ends === 'after' ? { count: Math.max(1, Math.round(d.count) || 1) } : {}),
    ...(d.ends === 'on' && d.until ? { until: { kind: 'date' as const, date: d.until } } : {}),
    byDay:
      d.freq === 'WEEKLY'
        ? d.weekdays.map((weekday) => ({ weekday }))
        : d.freq === 'MONTHLY' && d.monthly === 'nth'
          ? [{ weekday: d.nthWeekday, ordinal: d.nth }]
          : [],
    byMonthDay: d.freq === 'MONTHLY' && d.monthly === 'day' ? [d.monthDay] : [],
    byMonth: [],
    bySetPos: [],
    byHour: [],
    byMinute: [],
    bySecond: [],
  };
  return core.formatRecurrence(rule);
}

const presets = [
  { value: 'none', label: 'Does not repeat', rrule: null },
  { value: 'daily', label: 'Every day', rrule: 'FREQ=DAILY' },
  { value: 'weekdays', label: 'Every weekday', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' },
  { value: 'weekly', label: 'Every week', rrule: 'FREQ=WEEKLY' },
  { value: 'monthly', label: 'Every month', rrule: 'FREQ=MONTHLY' },
  { value: 'yearly', label: 'Every year', rrule: 'FREQ=YEARLY' },
] as const;

const input =
  'rounded border border-zinc-400 bg-white px-2 py-1 text-sm text-zinc-900 dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100';

/** Presets and a custom editor (interval, weekdays, monthly by day or nth weekday, ends). */
export function RecurrenceEditor({
  rrule,
  mode,
  dueDate,
  onChange,
}: {
  rrule: string | null;
  mode: 'due' | 'completion';
  dueDate: string | null;
  onChange: (r: { rrule: string; mode: 'due' | 'completion' } | null) => void;
}) {
  const preset = presets.find((p) => p.rrule === rrule)?.value ?? (rrule ? 'custom' : 'none');
  const [custom, setCustom] = useState(preset === 'custom');
  const core = useCore();
  const [draft, setDraft] = useState(() => draftFrom(core, rrule, dueDate));
  useEffect(() => {
    setDraft(draftFrom(core, rrule, dueDate));
  }, [core, rrule, dueDate]);
  const edit = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-semibold">Repeat</legend>
      <div className="flex flex-wrap gap-2">
        <select
          aria-label="Repeat"
          className={input}
          value={custom ? 'custom' : preset}
          onChange={(e) => {
            const v = e.target.value;
            if (v === 'custom') {
              setCustom(true);
              return;
            }
            setCustom(false);
            const p = presets.find((x) => x.value === v);
            onChange(p?.rrule ? { rrule: p.rrule, mode } : null);
          }}
        >
          {presets.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
        {rrule && (
          <select
            aria-label="Repeat from"
            className={input}
            value={mode}
            onChange={(e) => onChange({ rrule, mode: e.target.value as 'due' | 'completion' })}
          >
            <option value="due">from the due date</option>
            <option value="completion">from completion</option>
          </select>
        )}
      </div>
      {custom && (
        <div className="space-y-2 rounded-lg border border-zinc-300 p-3 text-sm dark:border-zinc-700">
          <div className="flex flex-wrap items-center gap-2">
            <label className="flex items-center gap-2">
              Every
              <input
                type="number"
                min={1}
                max={999}
                aria-label="Interval"
                className={`${input} w-16`}
                value={draft.interval}
                onChange={(e) => edit({ interval: Number(e.target.value) })}
              />
            </label>
            <select
              aria-label="Unit"
              className={input}
              value={draft.freq}
              onChange={(e) => edit({ freq: e.target.value as Draft['freq'] })}
            >
              {FREQS.map(([f, l]) => (
                <option key={f} value={f}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          {draft.freq === 'WEEKLY' && (
            <fieldset className="flex flex-wrap gap-1">
              <legend className="sr-only">On weekdays</legend>
              {WEEKDAYS.map(([code, label]) => (
                <label
                  key={code}
                  className="flex items-center gap-1 rounded border border-zinc-400 px-2 py-1 dark:border-zinc-600"
                >
                  <input
                    type="checkbox"
                    checked={draft.weekdays.includes(code)}
                    onChange={(e) =>
                      edit({
                        weekdays: e.target.checked
                          ? [...draft.weekdays, code]
                          : draft.weekdays.filter((w) => w !== code),
                      })
                    }
                  />
                  {label}
                </label>
              ))}
            </fieldset>
          )}
          {draft.freq === 'MONTHLY' && (
            <div className="space-y-1">
              <label className="flex items-center gap-2">
                <input
                  type="radio"
                  name="monthly"
                  checked={draft.monthly === 'day'}
                  onChange={() => edit({ monthly: 'day' })}
                />
                On day
                <input
                  type="number"
                  min={1}
                  max={31}
                  aria-label="Day of the month"
                  className={`${input} w-16`}
                  value={draft.monthDay}
                  onChange={(e) => edit({ monthDay: Number(e.target.value), monthly: 'day' })}
                />
              </label>
              <div className="flex flex-wrap items-center gap-2">
                <label className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="monthly"
                    checked={draft.monthly === 'nth'}
                    onChange={() => edit({ monthly: 'nth' })}
                  />
                  On the
                </label>
                <select
                  aria-label="Which week"
                  className={input}
                  value={draft.nth}
                  onChange={(e) => edit({ nth: Number(e.target.value), monthly: 'nth' })}
                >
                  <option value={1}>first</option>
                  <option value={2}>second</option>
                  <option value={3}>third</option>
                  <option value={4}>fourth</option>
                  <option value={-1}>last</option>
                </select>
                <select
                  aria-label="Weekday"
                  className={input}
                  value={draft.nthWeekday}
                  onChange={(e) => edit({ nthWeekday: e.target.value as RecurrenceWeekday, monthly: 'nth' })}
                >
                  {WEEKDAYS.map(([c, l]) => (
                    <option key={c} value={c}>
                      {l}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          )}
          <fieldset className="flex flex-wrap items-center gap-2">
            <legend className="mb-1">Ends</legend>
            <label className="flex items-center gap-1">
              <input
                type="radio"
                name="ends"
                checked={draft.ends === 'never'}
                onChange={() => edit({ ends: 'never' })}
              />
              Never
            </label>
            <label className="flex items-center gap-1">
              <input
                type="radio"
                name="ends"
                checked={draft.ends === 'on'}
                onChange={() => edit({ ends: 'on' })}
              />
              On
            </label>
            <input
              type="date"
              aria-label="End date"
              className={input}
              value={draft.until}
              onChange={(e) => edit({ until: e.target.value, ends: 'on' })}
            />
            <label className="flex items-center gap-1">
              <input
                type="radio"
                name="ends"
                checked={draft.ends === 'after'}
                onChange={() => edit({ ends: 'after' })}
              />
              After
            </label>
            <input
              type="number"
              min={1}
              max={999}
              aria-label="Number of occurrences"
              className={`${input} w-16`}
              value={draft.count}
              onChange={(e) => edit({ count: Number(e.target.value), ends: 'after' })}
            />
            <span>times</span>
          </fieldset>
          <button
            type="button"
            disabled={!core}
            onClick={() => core && onChange({ rrule: ruleOf(core, draft), mode })}
            className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white"
          >
            Apply repeat
          </button>
        </div>
      )}
    </fieldset>
  );
}
