import { limits } from '../tasks/task-rules.ts';
import { addCalendarDays, localDateOf, resolveFilterDate } from './dates.ts';
import { describeAt, type FilterToken, filterError, tokenizeFilter } from './tokenize.ts';
import type {
  FilterDate,
  FilterDateField,
  FilterDateOp,
  FilterNode,
  FilterParseOptions,
  FilterPriority,
} from './types.ts';

/** Parentheses deeper than this are refused: the compiled SQL nests as deep, and real filters never do. */
export const maxFilterDepth = 32;
/** Longest filter accepted; the API caps the query parameter at the same length. */
export const maxFilterLength = 2000;
/** `N days` is capped so the window's end stays a valid date. */
const maxDays = 3660;

const termHint = 'a filter term such as today, overdue, p1, #tag, +list, search: words or due before: friday';
const afterTermHint = '"&", "|", ")" or the end of the filter';

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';
}

/** A term's text after its sigil or `field:` prefix, with quotes and escapes removed. */
interface Value {
  text: string;
  /** literal pieces between unquoted, unescaped `*`; present only when there was such a wildcard */
  pattern?: string[];
  /** absolute offset of the first whitespace outside quotes, if any (a tag cannot contain one) */
  spaceAt?: number;
}

/** Reads `raw` (which starts at absolute offset `at`) as a value: `"…"` quoted parts, `\x` escapes, `*`. */
function readValue(raw: string, at: number): Value {
  const pieces: string[] = [];
  let current = '';
  let quoted = false;
  let wildcard = false;
  let spaceAt: number | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      current += raw[++i];
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === '*' && !quoted) {
      wildcard = true;
      pieces.push(current);
      current = '';
    } else {
      if (!quoted && isSpace(c) && spaceAt === undefined) spaceAt = at + i;
      current += c;
    }
  }
  pieces.push(current);
  const text = pieces.join('*');
  return wildcard
    ? { text, pattern: pieces, ...(spaceAt === undefined ? {} : { spaceAt }) }
    : { text, ...(spaceAt === undefined ? {} : { spaceAt }) };
}

/** Lower case with runs of whitespace collapsed to one space, for matching keywords. */
function normalizeWords(s: string): string {
  let out = '';
  let space = false;
  for (const c of s.toLowerCase()) {
    if (isSpace(c)) {
      space = out.length > 0;
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

const priorityKeywords: Record<string, FilterPriority['rank']> = {
  p1: 4,
  p2: 3,
  p3: 2,
  p4: 1,
  'no priority': 0,
};

const dateFields: Record<string, FilterDateField> = {
  due: 'due',
  date: 'due',
  created: 'created',
  completed: 'completed',
};

class Parser {
  private readonly tokens: FilterToken[];
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly opts: FilterParseOptions,
  ) {
    this.tokens = tokenizeFilter(text);
  }

  parse(): FilterNode {
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof')
      throw this.fail(t.start, t.kind === 'rparen' ? 'an opening "(" before it' : afterTermHint);
    return node;
  }

  private peek(): FilterToken {
    return this.tokens[this.pos]!;
  }

  private fail(position: number, expected: string): Error {
    return filterError(position, expected, describeAt(this.text, position));
  }

  private parseOr(): FilterNode {
    const first = this.parseAnd();
    const operands = [first];
    while (this.peek().kind === 'or') {
      this.pos++;
      operands.push(this.parseAnd());
    }
    if (operands.length === 1) return first;
    return { type: 'or', operands, start: first.start, end: operands[operands.length - 1]!.end };
  }

  private parseAnd(): FilterNode {
    const first = this.parseUnary();
    const operands = [first];
    while (this.peek().kind === 'and') {
      this.pos++;
      operands.push(this.parseUnary());
    }
    if (operands.length === 1) return first;
    return { type: 'and', operands, start: first.start, end: operands[operands.length - 1]!.end };
  }

  private parseUnary(): FilterNode {
    // a run of `!` is read in a loop, not by recursion, and folds to one negation or none
    const start = this.peek().start;
    let negations = 0;
    while (this.peek().kind === 'not') {
      negations++;
      this.pos++;
    }
    const operand = this.parsePrimary();
    if (negations % 2 === 0) return operand;
    return { type: 'not', operand, start, end: operand.end };
  }

  private parsePrimary(): FilterNode {
    const t = this.peek();
    if (t.kind === 'lparen') {
      if (++this.depth > maxFilterDepth) {
        throw filterError(t.start, `at most ${maxFilterDepth} nested parentheses`, 'one more "("');
      }
      this.pos++;
      const inner = this.parseOr();
      const close = this.peek();
      if (close.kind !== 'rparen')
        throw this.fail(close.start, '")" to close the "(" at position ' + t.start);
      this.pos++;
      this.depth--;
      return { ...inner, start: t.start, end: close.end };
    }
    if (t.kind === 'term') {
      this.pos++;
      return this.parseTerm(t.text, t.start);
    }
    throw this.fail(t.start, termHint);
  }

  /** Classifies one term; `at` is its absolute offset. */
  private parseTerm(text: string, at: number): FilterNode {
    const end = at + text.length;
    const sigil = text[0];
    if (sigil === '#' || sigil === '@') return this.parseTag(text, at);
    if (sigil === '+' && !/^\+\s*\d/.test(text)) return this.parseList(text, at);

    const words = normalizeWords(text);
    const keyword = this.keyword(words, at, end);
    if (keyword) return keyword;

    const field = this.parseField(text, at);
    if (field) return field;

    // a bare date ("jan 27", "friday", "+3 days") means due on that day, as in Todoist
    const value = text.length <= 100 ? resolveFilterDate(text, this.opts) : null;
    if (value) return { type: 'date', field: 'due', op: 'on', value, phrase: text, start: at, end };
    if (sigil === '+') return this.parseList(text, at);

    // "p1 #work": a known term followed by more text is a missing operator, reported where the rest begins
    let space = 0;
    for (let words = 0; words < 3; words++) {
      while (space < text.length && !isSpace(text[space])) space++;
      if (space >= text.length) break;
      let next = space;
      while (isSpace(text[next])) next++;
      if (this.keyword(normalizeWords(text.slice(0, space)), at, at + space)) {
        throw this.fail(at + next, afterTermHint);
      }
      space = next;
    }
    throw this.fail(at, termHint);
  }

  private keyword(words: string, start: number, end: number): FilterNode | null {
    const rank = priorityKeywords[words];
    if (rank !== undefined) return { type: 'priority', rank, start, end };
    const today = localDateOf(this.opts.now, this.opts.timeZone);
    const day = (offset: number): FilterDate => ({
      type: 'date',
      field: 'due',
      op: 'on',
      value: { kind: 'day', date: addCalendarDays(today, offset) },
      phrase: words,
      start,
      end,
    });
    switch (words) {
      case 'today':
        return day(0);
      case 'tomorrow':
        return day(1);
      case 'yesterday':
        return day(-1);
      case 'overdue':
      case 'over due':
        return { type: 'overdue', start, end };
      case 'no date':
      case 'no due date':
        return { type: 'noDate', start, end };
      case 'recurring':
        return { type: 'recurring', start, end };
      case 'completed':
      case 'open':
        return { type: 'status', status: words, start, end };
    }
    // "7 days", "next 7 days"
    const m = /^(?:next )?(\d{1,4}) days?$/.exec(words);
    if (m) {
      const days = Number(m[1]);
      if (days < 1 || days > maxDays) throw this.fail(start, `a number of days from 1 to ${maxDays}`);
      return { type: 'dueWithin', days, from: today, to: addCalendarDays(today, days), start, end };
    }
    return null;
  }

  /** `due before: <date>`, `created after: <date>`, `completed: <date>`, `search: <words>`; null if no `field:`. */
  private parseField(text: string, at: number): FilterNode | null {
    const colon = text.indexOf(':');
    // the longest prefix is "completed before", so a colon further right is not a field separator
    if (colon < 0 || colon > 24) return null;
    const head = normalizeWords(text.slice(0, colon)).split(' ');
    const rest = text.slice(colon + 1);
    let lead = 0;
    while (isSpace(rest[lead])) lead++;
    const valueAt = at + colon + 1 + lead;
    const end = at + text.length;
    if (head.length === 1 && head[0] === 'search') {
      const value = readValue(rest.slice(lead), valueAt);
      const words = value.text.trim();
      if (!words) throw this.fail(valueAt, 'words to search for after "search:"');
      return { type: 'search', text: words, start: at, end };
    }
    const field = dateFields[head[0] ?? ''];
    const op: FilterDateOp | undefined =
      head.length === 1
        ? 'on'
        : head.length === 2 && (head[1] === 'before' || head[1] === 'after')
          ? head[1]
          : undefined;
    if (!field || !op) return null;
    const phrase = readValue(rest.slice(lead), valueAt).text.trim();
    const value = phrase ? resolveFilterDate(phrase, this.opts) : null;
    if (!value) throw this.fail(valueAt, 'a date such as today, friday, jan 27, 2027-01-27 or -7 days');
    return { type: 'date', field, op, value, phrase, start: at, end };
  }

  private parseTag(text: string, at: number): FilterNode {
    const value = readValue(text.slice(1), at + 1);
    if (value.spaceAt !== undefined) {
      let next = value.spaceAt;
      while (isSpace(this.text[next])) next++;
      throw this.fail(next, afterTermHint);
    }
    const strip = (s: string) => s.replace(/^#+/, '').toLowerCase();
    const name = strip(value.text.trim());
    if (name.length < 1 || name.length > limits.tagMax) {
      throw this.fail(at + 1, `a tag name of 1 to ${limits.tagMax} characters after "${text[0]}"`);
    }
    const end = at + text.length;
    if (!value.pattern) return { type: 'tag', name, start: at, end };
    const pattern = value.pattern.map((p, i) => (i === 0 ? strip(p) : p.toLowerCase()));
    return { type: 'tag', name, pattern, start: at, end };
  }

  private parseList(text: string, at: number): FilterNode {
    const value = readValue(text.slice(1), at + 1);
    const name = value.text.trim();
    if (name.length < 1 || name.length > limits.listNameMax) {
      throw this.fail(at + 1, `a list name of 1 to ${limits.listNameMax} characters after "+"`);
    }
    const end = at + text.length;
    if (!value.pattern) return { type: 'list', name, start: at, end };
    const last = value.pattern.length - 1;
    const pattern = value.pattern.map((p, i) => (i === 0 ? p.trimStart() : i === last ? p.trimEnd() : p));
    return { type: 'list', name, pattern, start: at, end };
  }
}

/*
 * Grammar (case-insensitive; whitespace between tokens is free):
 *   filter  := or
 *   or      := and ("|" and)*
 *   and     := unary ("&" unary)*
 *   unary   := "!"* primary
 *   primary := "(" or ")" | term
 *   term    := "#" tag | "@" tag | "+" list | "p1" | "p2" | "p3" | "p4" | "no priority"
 *            | "today" | "tomorrow" | "yesterday" | "overdue" | "no date" | "recurring"
 *            | "completed" | "open" | ["next"] N "days"
 *            | "search:" text | ("due" | "date" | "created" | "completed") ["before" | "after"] ":" date
 *            | date                                   (a bare date: due on that day)
 * A term runs to the next unquoted, unescaped & | ( ); `*` in a tag or list name is a wildcard.
 */

/**
 * Parses a Todoist-style filter (`(today | overdue) & #work`, `p1 & !+Errands`, `due before: friday`) into a
 * syntax tree. `!` binds tightest, then `&`, then `|`. Pure: date phrases resolve against `opts.now` in
 * `opts.timeZone`. Throws only `DomainError('INVALID_FILTER')`, whose details give the 0-based position.
 */
export function parseFilter(text: string, opts: FilterParseOptions): FilterNode {
  if (text.length > maxFilterLength) {
    throw filterError(maxFilterLength, `a filter of at most ${maxFilterLength} characters`, 'more text');
  }
  return new Parser(text, opts).parse();
}

/** True when the filter says something about completion, so a listing should not default to open tasks. */
export function filterMentionsStatus(node: FilterNode): boolean {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.operands.some(filterMentionsStatus);
    case 'not':
      return filterMentionsStatus(node.operand);
    case 'status':
      return true;
    case 'date':
      return node.field === 'completed';
    default:
      return false;
  }
}
