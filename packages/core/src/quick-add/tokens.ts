/**
 * Tokenizer: one linear pass over the input. Tokens keep their UTF-16 offsets into the original
 * text so every recognised phrase maps back to a span. Quoted text, URLs and e-mail addresses become
 * opaque tokens that no parser looks into ("quotes protect text from parsing").
 */

export type TokenKind =
  /** letters, digits and in-word symbols: "tomorrow", "5pm", "2027-01-27", "#tag", "p1" */
  | 'word'
  /** a separator: "," "(" ";" … */
  | 'punct'
  /** a "prefix mark" split off a word: "!" in "!30m", "@" in "@tomorrow", "!!" in "!!1" */
  | 'mark'
  /** a double-quoted run: never parsed; its inner text stays in the title without the quotes */
  | 'quoted'
  /** `+"My List"`: a quoted list name */
  | 'qlist'
  /** URL, e-mail address, domain: never parsed */
  | 'opaque';

export interface Token {
  kind: TokenKind;
  text: string;
  low: string;
  start: number;
  end: number;
  /** Inner text of a quoted token. */
  inner?: string;
  /** The user marked this text as plain title (quick-add `ignore` ranges): no parser reads it, not even as context. */
  ignored?: true;
}

const OPEN_QUOTES = '"\u201c\u201e';
const CLOSE_FOR: Record<string, string> = { '"': '"\u201d', '\u201c': '\u201d"', '\u201e': '\u201c\u201d"' };

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);
}

const URL_RE = /^(?:[a-z][a-z0-9+.-]{0,20}:\/\/|www\.|mailto:)/i;
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DOMAIN_RE = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}(?:[/:?#]\S*)?$/i;
const ALNUM_RE = /[\p{L}\p{N}]/u;
const TRAIL_PUNCT = ',;:)]}?!.\u2026';
const LEAD_PUNCT = '([{';

function isOpaque(chunk: string): boolean {
  if (URL_RE.test(chunk)) return true;
  if (chunk.indexOf('@') > 0 && EMAIL_RE.test(chunk)) return true;
  // "example.com" or "docs.example.org/x", but never "1.1.3" or "5.30pm" (the last label must be letters).
  return DOMAIN_RE.test(chunk) && /[a-z]/i.test(chunk.split('.')[0] ?? '');
}

function push(out: Token[], kind: TokenKind, src: string, start: number, end: number): void {
  const text = src.slice(start, end);
  out.push({ kind, text, low: text.toLowerCase(), start, end });
}

/** Splits one whitespace-free chunk into tokens (peeling brackets, marks and trailing punctuation). */
function splitChunk(src: string, s: number, e: number, out: Token[]): void {
  const chunk = src.slice(s, e);
  if (isOpaque(chunk)) {
    push(out, 'opaque', src, s, e);
    return;
  }
  let a = s;
  let b = e;
  while (a < b && LEAD_PUNCT.includes(src[a]!)) {
    push(out, 'punct', src, a, a + 1);
    a++;
  }
  // Trailing punctuation, kept on "a.m."/"p.m." and on "every!" (Todoist's completion-based recurrence).
  const tail: number[] = [];
  while (b > a && TRAIL_PUNCT.includes(src[b - 1]!)) {
    const body = src.slice(a, b).toLowerCase();
    if (src[b - 1] === '.' && /(?:^|[^a-z])[ap]\.m\.$/.test(body)) break;
    if (src[b - 1] === '!' && (body === 'every!' || body === 'ev!' || /^!+$/.test(body))) break;
    b--;
    tail.push(b);
  }
  // Taskwarrior attributes: "due:eom", "until:2027-12-31", "recur:weekly" → the attribute as a mark + its value.
  const attr = /^(?:due|until|recur|rec):(?=[\p{L}\p{N}+-])/iu.exec(src.slice(a, b));
  if (attr) {
    push(out, 'mark', src, a, a + attr[0].length);
    a += attr[0].length;
  }
  // Prefix marks: "!30m" → "!" + "30m", "!!1" → "!!" + "1", "@friday" → "@" + "friday".
  if (a < b && (src[a] === '!' || src[a] === '@')) {
    let m = a;
    if (src[a] === '!') while (m < b && src[m] === '!') m++;
    else m = a + 1;
    if (m < b && ALNUM_RE.test(src[m]!)) {
      push(out, 'mark', src, a, m);
      a = m;
    }
  }
  // Commas between items ("mon,wed,fri") split, but not digit groups ("1,000").
  let w = a;
  for (let i = a; i < b; i++) {
    if (src[i] === ',' && !(/\d/.test(src[i - 1] ?? '') && /\d/.test(src[i + 1] ?? ''))) {
      if (i > w) push(out, 'word', src, w, i);
      push(out, 'punct', src, i, i + 1);
      w = i + 1;
    }
  }
  if (b > w) push(out, 'word', src, w, b);
  for (let k = tail.length - 1; k >= 0; k--) push(out, 'punct', src, tail[k]!, tail[k]! + 1);
}

/** Tokenizes `src[from, to)`. Linear in its length. */
export function tokenize(src: string, from = 0, to = src.length): Token[] {
  const out: Token[] = [];
  let i = from;
  while (i < to) {
    const c = src.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const ch = src[i]!;
    const listQuote = ch === '+' && i + 1 < to && OPEN_QUOTES.includes(src[i + 1]!);
    const q = listQuote ? i + 1 : i;
    if (listQuote || OPEN_QUOTES.includes(ch)) {
      const closers = CLOSE_FOR[src[q]!]!;
      let j = q + 1;
      while (j < to && !closers.includes(src[j]!)) j++;
      if (j < to && j > q + 1) {
        const text = src.slice(i, j + 1);
        out.push({
          kind: listQuote ? 'qlist' : 'quoted',
          text,
          low: text.toLowerCase(),
          start: i,
          end: j + 1,
          inner: src.slice(q + 1, j),
        });
        i = j + 1;
        continue;
      }
      if (!listQuote) {
        // A lone quote is plain punctuation.
        push(out, 'punct', src, i, i + 1);
        i++;
        continue;
      }
    }
    let j = i + 1;
    while (j < to && !isSpace(src.charCodeAt(j)) && !OPEN_QUOTES.includes(src[j]!)) j++;
    splitChunk(src, i, j, out);
    i = j;
  }
  return out;
}

/** Flags every token overlapping one of the `[start, end)` ranges as ignored. Out-of-range or empty ranges are skipped. */
export function markIgnored(
  toks: Token[],
  ranges: readonly { start: number; end: number }[] | undefined,
): void {
  if (!Array.isArray(ranges) || ranges.length === 0) return;
  for (const r of ranges) {
    if (r === null || typeof r !== 'object') continue;
    const { start, end } = r;
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) continue;
    for (const t of toks) if (t.start < end && t.end > start) t.ignored = true;
  }
}
