import { DomainError } from '../errors.ts';

export const priorities = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

/** Rank used for storage and sorting: none 0 … urgent 4. */
export function priorityRank(p: Priority): number {
  return priorities.indexOf(p);
}

export function priorityFromRank(rank: number): Priority {
  const p = priorities[rank];
  if (!p) throw new DomainError('INTERNAL', `unknown priority rank ${rank}`);
  return p;
}

export const taskStatuses = ['open', 'completed'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const limits = {
  titleMax: 500,
  descriptionMax: 20_000,
  tagsMax: 20,
  tagMax: 50,
  listNameMax: 100,
  savedFilterNameMax: 100,
  /** saved filters per user: they are sidebar entries, not data */
  savedFiltersMax: 100,
  remindersMax: 10,
} as const;

/** Tags are trimmed, lower-cased and lose a leading `#`; returns null when nothing valid is left. */
export function normalizeTag(raw: string): string | null {
  const tag = raw.trim().replace(/^#+/, '').trim().toLowerCase();
  if (tag.length < 1 || tag.length > limits.tagMax) return null;
  return tag;
}

/** Normalises and de-duplicates, keeping first-seen order. Throws on an invalid tag. */
export function normalizeTags(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (const [i, r] of raw.entries()) {
    const tag = normalizeTag(r);
    if (tag === null) {
      throw new DomainError('VALIDATION_FAILED', 'Invalid tag', [
        { path: `tags.${i}`, message: `must be 1–${limits.tagMax} characters after trimming and removing #` },
      ]);
    }
    if (!out.includes(tag)) out.push(tag);
  }
  if (out.length > limits.tagsMax) {
    throw new DomainError('VALIDATION_FAILED', 'Too many tags', [
      { path: 'tags', message: `at most ${limits.tagsMax} tags` },
    ]);
  }
  return out;
}
