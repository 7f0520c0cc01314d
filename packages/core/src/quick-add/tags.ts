import { consume, type Scan, w } from './scan.ts';

const TAG = /^[#*]([\p{L}\p{N}_][\p{L}\p{N}_\-/.:]*)$/u;
const LIST = /^\+([\p{L}_][\p{L}\p{N}_\-/.&]*)$/u;
const HAS_LETTER = /\p{L}/u;

/**
 * Tags: `#tag` (Todoist-style hashtags) and Vikunja's `*label`, lower-cased, the sigil removed.
 * A hashtag needs a letter, so "#123" (an issue number) stays in the title.
 */
export function parseHashTags(s: Scan, tags: string[]): void {
  for (let i = 0; i < s.toks.length; i++) {
    const a = w(s, i);
    if (a === undefined || s.toks[i]!.kind !== 'word') continue;
    const m = TAG.exec(a);
    if (!m || !HAS_LETTER.test(m[1]!)) continue;
    if (a.startsWith('*') && a.endsWith('*')) continue;
    const tag = m[1]!.replace(/[.:/-]+$/, '');
    if (!tags.includes(tag)) tags.push(tag);
    consume(s, i, i + 1, 'tag');
  }
}

/** `@tag` (Todoist labels). Runs after the date parsers, so `@tomorrow` (Super Productivity's due syntax) is a date. */
export function parseAtTags(s: Scan, tags: string[]): void {
  for (let i = 0; i < s.toks.length - 1; i++) {
    if (s.toks[i]!.kind !== 'mark' || w(s, i) !== '@') continue;
    const b = w(s, i + 1);
    if (b === undefined || s.toks[i + 1]!.kind !== 'word' || s.toks[i + 1]!.start !== s.toks[i]!.end)
      continue;
    if (!HAS_LETTER.test(b) || !/^[\p{L}\p{N}_][\p{L}\p{N}_\-/.]*$/u.test(b)) continue;
    const tag = b.replace(/[.\-/]+$/, '');
    if (!tags.includes(tag)) tags.push(tag);
    consume(s, i, i + 2, 'tag');
  }
}

/** List: `+List`, `+"My List"`, Taskwarrior `project:Home`. The first one wins; case is kept. */
export function parseList(s: Scan): string | undefined {
  for (let i = 0; i < s.toks.length; i++) {
    const t = s.toks[i]!;
    if (s.used[i]) continue;
    if (t.kind === 'qlist' && t.inner !== undefined && t.inner.trim() !== '') {
      consume(s, i, i + 1, 'list');
      return t.inner.trim();
    }
    if (t.kind !== 'word') continue;
    const m = LIST.exec(t.text);
    if (m) {
      consume(s, i, i + 1, 'list');
      return m[1]!.replace(/[.\-/]+$/, '');
    }
    const p = /^(?:project|proj|list):([\p{L}\p{N}_][\p{L}\p{N}_\-/.]*)$/iu.exec(t.text);
    if (p) {
      consume(s, i, i + 1, 'list');
      return p[1]!;
    }
  }
  return undefined;
}
