import { consume, type Scan, w } from './scan.ts';

export type Priority = 'urgent' | 'high' | 'medium' | 'low';

const BY_NUMBER: Priority[] = ['urgent', 'high', 'medium', 'low'];
/** Vikunja's `!1`…`!5` (1 = low … 4 = urgent, 5 = "do now"). */
const VIKUNJA: Priority[] = ['low', 'medium', 'high', 'urgent', 'urgent'];

const LEVEL_WORDS = new Map<string, Priority>([
  ['urgent', 'urgent'],
  ['top', 'urgent'],
  ['highest', 'urgent'],
  ['critical', 'urgent'],
  ['high', 'high'],
  ['hi', 'high'],
  ['h', 'high'],
  ['important', 'high'],
  ['medium', 'medium'],
  ['med', 'medium'],
  ['normal', 'medium'],
  ['m', 'medium'],
  ['moderate', 'medium'],
  ['low', 'low'],
  ['lo', 'low'],
  ['l', 'low'],
  ['lowest', 'low'],
]);

const PRIORITY_WORDS = new Set(['priority', 'prio', 'pri']);

/**
 * Priority: Todoist `p1`…`p4` and `!!1`…`!!4` (1 = urgent), Vikunja `!1`…`!5`, exclamation runs in the
 * Apple Reminders convention (`!` low, `!!` medium, `!!!` high, `!!!!` urgent), Taskwarrior
 * `priority:H` / `pri:M`, and words: "urgent", "asap", "high priority", "priority low", "top priority".
 * The first priority wins; later ones stay in the title.
 */
export function parsePriority(s: Scan): Priority | undefined {
  for (let i = 0; i < s.toks.length; i++) {
    const r = priorityAt(s, i);
    if (r) {
      consume(s, i, r.end, 'priority');
      return r.p;
    }
  }
  return undefined;
}

function priorityAt(s: Scan, i: number): { p: Priority; end: number } | null {
  const a = w(s, i);
  if (a === undefined) return null;
  const kind = s.toks[i]!.kind;
  // todo.txt: "(A) Call mom" at the start of the line; A is the highest.
  if (i === 0 && a === '(' && w(s, 2) === ')' && s.toks[2]!.start === s.toks[0]!.end + 1) {
    const letter = w(s, 1) === undefined ? '' : s.toks[1]!.text;
    if (/^[A-Z]$/.test(letter)) {
      const p: Priority =
        letter === 'A' ? 'urgent' : letter === 'B' ? 'high' : letter === 'C' ? 'medium' : 'low';
      return { p, end: 3 };
    }
  }
  let m = /^p([1-4])$/.exec(a);
  if (m && kind === 'word') return { p: BY_NUMBER[Number(m[1]) - 1]!, end: i + 1 };
  if (kind === 'mark' && a === '!!') {
    m = /^([1-4])$/.exec(w(s, i + 1) ?? '');
    if (m) return { p: BY_NUMBER[Number(m[1]) - 1]!, end: i + 2 };
  }
  if (kind === 'mark' && a === '!') {
    m = /^([1-5])$/.exec(w(s, i + 1) ?? '');
    if (m) return { p: VIKUNJA[Number(m[1]) - 1]!, end: i + 2 };
  }
  if (kind === 'word' && /^!+$/.test(a) && a.length <= 6) {
    const p: Priority =
      a.length >= 4 ? 'urgent' : a.length === 3 ? 'high' : a.length === 2 ? 'medium' : 'low';
    return { p, end: i + 1 };
  }
  m = /^(?:priority|prio|pri):([a-z0-9]+)$/.exec(a);
  if (m) {
    const v = m[1]!;
    const p = /^[1-4]$/.test(v) ? BY_NUMBER[Number(v) - 1]! : LEVEL_WORDS.get(v);
    return p === undefined ? null : { p, end: i + 1 };
  }
  if (a === 'urgent' || a === 'asap' || a === 'urgently') {
    const b = w(s, i + 1);
    // "Urgent care", "urgent matters": an adjective before an unrelated noun stays in the title.
    if (b === 'care') return null;
    return { p: 'urgent', end: b !== undefined && PRIORITY_WORDS.has(b) ? i + 2 : i + 1 };
  }
  const lvl = LEVEL_WORDS.get(a);
  if (lvl !== undefined && a.length > 1) {
    const b = w(s, i + 1);
    if (b !== undefined && PRIORITY_WORDS.has(b)) return { p: lvl, end: i + 2 };
    if (a === 'important' && (b === undefined || s.toks[i + 1]?.kind === 'punct') && i > 0)
      return { p: 'high', end: i + 1 };
    return null;
  }
  if (PRIORITY_WORDS.has(a)) {
    let j = i + 1;
    if (w(s, j) === ':' || w(s, j) === 'is') j++;
    const b = w(s, j);
    if (b === undefined) return null;
    if (/^[1-4]$/.test(b)) return { p: BY_NUMBER[Number(b) - 1]!, end: j + 1 };
    if (/^p[1-4]$/.test(b)) return { p: BY_NUMBER[Number(b[1]) - 1]!, end: j + 1 };
    const p = LEVEL_WORDS.get(b) ?? (b === 'urgent' ? 'urgent' : undefined);
    return p === undefined ? null : { p, end: j + 1 };
  }
  return null;
}
