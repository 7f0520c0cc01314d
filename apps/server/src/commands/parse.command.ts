import { createInterface } from 'node:readline';
import { isValidTimeZone, parseDateTimeInZone, parseQuickAdd, type QuickAddResult } from '@taskstream/core';

/** Streams the command talks to; tests pass in-memory streams. */
export interface ParseCommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = `Usage:
  taskstream parse [--now ISO] [--tz ZONE] "text"   print the quick-add parse of text as JSON
  taskstream parse --jsonl                          read {"input","now","tz"} lines on stdin, write one JSON line each

--now   reference time; without an offset it is wall-clock time in --tz (default: the current time)
--tz    IANA time zone (default: UTC)
`;

interface Options {
  now?: string;
  tz?: string;
  jsonl: boolean;
  help: boolean;
  text: string[];
}

function parseArgv(args: string[]): Options | string {
  const o: Options = { jsonl: false, help: false, text: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      o.text.push(...args.slice(i + 1));
      break;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    if (name === '--now' || name === '--tz') {
      const v = inline ?? args[++i];
      if (v === undefined) return `${name} needs a value`;
      if (name === '--now') o.now = v;
      else o.tz = v;
    } else if (a === '--jsonl') o.jsonl = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else o.text.push(a);
  }
  return o;
}

/** Writes with backpressure: waits for 'drain' when the destination's buffer is full. */
function write(out: NodeJS.WritableStream, chunk: string): Promise<void> | undefined {
  if (out.write(chunk)) return undefined;
  return new Promise((resolve) => out.once('drain', () => resolve()));
}

/** The reference instant for a line: an ISO instant, or wall-clock time in `tz`; null when unreadable. */
function referenceInstant(now: string | undefined, tz: string, fallback: Date): Date | null {
  if (now === undefined) return fallback;
  return parseDateTimeInZone(now, tz);
}

/** One --jsonl line → one output object. A line that cannot be parsed yields `{"title": <input or raw line>}`. */
function parseLine(line: string, clock: Date): QuickAddResult | { title: string } {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return { title: line };
  }
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return { title: line };
  const { input, now, tz } = msg as Record<string, unknown>;
  if (typeof input !== 'string') return { title: line };
  if (
    (now !== undefined && now !== null && typeof now !== 'string') ||
    (tz !== undefined && tz !== null && typeof tz !== 'string')
  ) {
    return { title: input };
  }
  const zone = typeof tz === 'string' && tz !== '' ? tz : 'UTC';
  if (!isValidTimeZone(zone)) return { title: input };
  const at = referenceInstant(typeof now === 'string' ? now : undefined, zone, clock);
  if (at === null) return { title: input };
  return parseQuickAdd(input, { now: at, timeZone: zone });
}

async function runJsonl(io: ParseCommandIo): Promise<number> {
  // The one place that reads the clock: lines without "now" are parsed against the time the batch started.
  const clock = new Date();
  const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  // Results are batched into ~64 KiB writes: far fewer syscalls than one per line, still streaming.
  let buf = '';
  for await (const raw of lines) {
    let out: string;
    try {
      out = JSON.stringify(parseLine(raw, clock));
    } catch {
      out = JSON.stringify({ title: raw });
    }
    buf += `${out}\n`;
    if (buf.length >= 65536) {
      const pending = write(io.stdout, buf);
      buf = '';
      if (pending) await pending;
    }
  }
  if (buf !== '') await write(io.stdout, buf);
  return 0;
}

/**
 * `taskstream parse`: prints the quick-add parse of a line as JSON, or (with --jsonl) parses a stream of
 * `{"input","now","tz"}` lines, one JSON line out per line in, in order. Returns the exit code.
 */
export async function runParseCommand(args: string[], io: ParseCommandIo): Promise<number> {
  const opts = parseArgv(args);
  if (typeof opts === 'string') {
    io.stderr.write(`taskstream parse: ${opts}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (opts.jsonl) {
    if (opts.text.length > 0) {
      io.stderr.write(`taskstream parse: --jsonl reads stdin and takes no text\n\n${USAGE}`);
      return 2;
    }
    try {
      return await runJsonl(io);
    } catch (err) {
      io.stderr.write(
        `taskstream parse: reading stdin failed: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      return 1;
    }
  }
  if (opts.text.length === 0) {
    io.stderr.write(`taskstream parse: missing text\n\n${USAGE}`);
    return 2;
  }
  const tz = opts.tz ?? 'UTC';
  if (!isValidTimeZone(tz)) {
    io.stderr.write(`taskstream parse: unknown time zone "${tz}"\n`);
    return 2;
  }
  const now = referenceInstant(opts.now, tz, new Date());
  if (now === null) {
    io.stderr.write(`taskstream parse: --now must be an ISO 8601 date-time, got "${opts.now}"\n`);
    return 2;
  }
  const result = parseQuickAdd(opts.text.join(' '), { now, timeZone: tz });
  await write(io.stdout, `${JSON.stringify(result, null, 2)}\n`);
  return 0;
}
