import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runParseCommand } from '../src/commands/parse.command.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], stdinText = ''): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runParseCommand(args, { stdin: Readable.from([stdinText]), stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

describe('taskstream parse "text"', () => {
  it('prints the parse as JSON, --now without offset being wall time in --tz', async () => {
    const r = await run([
      '--now',
      '2027-01-20T15:30',
      '--tz',
      'Europe/Berlin',
      'Call mom tomorrow at 5pm p1 #family',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      title: 'Call mom',
      due: { date: '2027-01-21', time: '17:00', tz: 'Europe/Berlin', all_day: false },
      priority: 'urgent',
      tags: ['family'],
      reminders: [],
      spans: [
        { start: 9, end: 17, kind: 'date' },
        { start: 18, end: 24, kind: 'time' },
        { start: 25, end: 27, kind: 'priority' },
        { start: 28, end: 35, kind: 'tag' },
      ],
    });
  });

  it('takes --now with an offset as an instant, and --opt=value forms', async () => {
    // 23:30 UTC on the 20th is already the 21st in Berlin.
    const r = await run(['--now=2027-01-20T23:30:00Z', '--tz=Europe/Berlin', 'Pay rent today']);
    expect(JSON.parse(r.stdout).due).toEqual({ date: '2027-01-21', tz: 'Europe/Berlin', all_day: true });
  });

  it('defaults --tz to UTC and joins several words', async () => {
    const r = await run(['--now', '2027-01-20T10:00', 'Call', 'mom', 'at', '5pm']);
    expect(JSON.parse(r.stdout).due).toEqual({
      date: '2027-01-20',
      time: '17:00',
      tz: 'UTC',
      all_day: false,
    });
    expect(JSON.parse(r.stdout).title).toBe('Call mom');
  });

  it('uses the current time without --now', async () => {
    const r = await run(['Call mom today']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).due.date).toBe(new Date().toISOString().slice(0, 10));
  });

  it('rejects bad options with exit code 2 and a message', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--tz', 'Mars/Base', 'x'])).stderr).toMatch(/unknown time zone/);
    expect((await run(['--now', 'yesterday-ish', 'x'])).stderr).toMatch(/--now/);
    expect((await run(['--bogus', 'x'])).code).toBe(2);
    expect((await run(['--now'])).code).toBe(2);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--jsonl/);
  });
});

describe('taskstream parse --jsonl', () => {
  it('writes exactly one JSON line per input line, in order', async () => {
    const lines = [
      JSON.stringify({ input: 'Gym every monday at 9am', now: '2027-01-20T15:30', tz: 'Europe/Berlin' }),
      JSON.stringify({ input: 'Flight in 48 hours', now: '2027-03-12T10:00', tz: 'America/New_York' }),
      'not json at all',
      JSON.stringify({ input: 'Bad zone tomorrow', now: '2027-01-20T10:00', tz: 'Nowhere/Land' }),
      JSON.stringify({ input: 'Bad now tomorrow', now: 'soon', tz: 'UTC' }),
      JSON.stringify({ input: 42 }),
      '',
      JSON.stringify(['array']),
      JSON.stringify({ input: 'Defaults tomorrow', now: '2027-01-20T10:00:00Z' }),
    ];
    const r = await run(['--jsonl'], `${lines.join('\n')}\n`);
    expect(r.code).toBe(0);
    const out = r.stdout.split('\n');
    expect(out.pop()).toBe('');
    expect(out).toHaveLength(lines.length);
    const parsed = out.map((l) => JSON.parse(l));
    expect(parsed[0]).toMatchObject({
      title: 'Gym',
      due: { date: '2027-01-25', time: '09:00', tz: 'Europe/Berlin', all_day: false },
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', mode: 'due' },
    });
    expect(parsed[1]).toMatchObject({ title: 'Flight', due: { date: '2027-03-14', time: '11:00' } });
    expect(parsed[2]).toEqual({ title: 'not json at all' });
    expect(parsed[3]).toEqual({ title: 'Bad zone tomorrow' });
    expect(parsed[4]).toEqual({ title: 'Bad now tomorrow' });
    expect(parsed[5]).toEqual({ title: JSON.stringify({ input: 42 }) });
    expect(parsed[6]).toEqual({ title: '' });
    expect(parsed[7]).toEqual({ title: '["array"]' });
    expect(parsed[8]).toMatchObject({ title: 'Defaults', due: { date: '2027-01-21', tz: 'UTC' } });
  });

  it('handles CRLF line endings and a last line without a newline', async () => {
    const a = JSON.stringify({ input: 'A today', now: '2027-01-20T10:00', tz: 'UTC' });
    const b = JSON.stringify({ input: 'B tomorrow', now: '2027-01-20T10:00', tz: 'UTC' });
    const r = await run(['--jsonl'], `${a}\r\n${b}`);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((o) => [o.title, o.due.date])).toEqual([
      ['A', '2027-01-20'],
      ['B', '2027-01-21'],
    ]);
  });

  it('streams 10,000 lines in order, well under 10 s', async () => {
    const phrases = [
      'Call mom tomorrow at 5pm',
      'every monday at 9am standup',
      'Buy 2 apples',
      'p1 fix prod #ops',
    ];
    const input = Array.from({ length: 10_000 }, (_, i) =>
      JSON.stringify({ input: `${phrases[i % 4]} ${i}`, now: '2027-01-20T15:30', tz: 'Europe/Berlin' }),
    ).join('\n');
    const t0 = performance.now();
    const r = await run(['--jsonl'], input);
    const ms = performance.now() - t0;
    const out = r.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(10_000);
    out.forEach((l, i) => {
      expect(JSON.parse(l).title.endsWith(` ${i}`)).toBe(true);
    });
    expect(ms).toBeLessThan(10_000);
  });

  it('rejects text together with --jsonl', async () => {
    expect((await run(['--jsonl', 'text'])).code).toBe(2);
  });
});
