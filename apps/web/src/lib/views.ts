import type { List } from '../api/types';

/** What the main area shows. Each view becomes the query of `GET /api/v1/tasks`. */
export type View =
  | { kind: 'inbox' }
  | { kind: 'today' }
  | { kind: 'upcoming' }
  | { kind: 'list'; id: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'filter'; id: string }
  | { kind: 'completed' }
  | { kind: 'trash' };

export interface Chips {
  priority?: string;
  tag?: string;
  status?: 'open' | 'completed' | 'all';
  due?: 'overdue' | 'today' | 'next 7 days' | 'no date';
}

export const sortOptions = [
  { value: '', label: 'Default' },
  { value: 'due', label: 'Due date' },
  { value: '-priority', label: 'Priority' },
  { value: 'title', label: 'Title' },
  { value: '-created', label: 'Newest first' },
  { value: 'created', label: 'Oldest first' },
] as const;

export function viewHref(view: View): string {
  switch (view.kind) {
    case 'list':
      return `/list?id=${encodeURIComponent(view.id)}`;
    case 'tag':
      return `/tag?name=${encodeURIComponent(view.tag)}`;
    case 'filter':
      return `/filter?id=${encodeURIComponent(view.id)}`;
    default:
      return `/${view.kind}`;
  }
}

/**
 * The request for a view with its chips, sort and search. Null while something it needs (the Inbox's
 * id, a saved filter) is not known yet.
 */
export function viewQuery(
  view: View,
  opts: { lists: List[] | undefined; filterText?: string; chips: Chips; sort: string; q: string },
): Record<string, string> | null {
  const p: Record<string, string> = {};
  const filters: string[] = [];
  // search is global, as in Todoist: it looks through every list, whatever view is open
  if (opts.q.trim()) {
    p.q = opts.q.trim();
    if (opts.chips.status) p.status = opts.chips.status;
    if (opts.chips.priority) p.priority = opts.chips.priority;
    if (opts.chips.tag) p.tag = opts.chips.tag;
    if (opts.chips.due) p.filter = opts.chips.due;
    if (opts.sort) p.sort = opts.sort;
    return p;
  }
  switch (view.kind) {
    case 'inbox': {
      const inbox = opts.lists?.find((l) => l.is_inbox);
      if (!inbox) return null;
      p.list_id = inbox.id;
      break;
    }
    case 'list':
      p.list_id = view.id;
      break;
    case 'tag':
      p.tag = view.tag;
      break;
    case 'today':
      filters.push('today | overdue');
      p.sort = 'due,-priority';
      break;
    case 'upcoming':
      filters.push('next 7 days');
      p.sort = 'due,-priority';
      break;
    case 'filter':
      if (opts.filterText === undefined) return null;
      filters.push(opts.filterText);
      break;
    case 'completed':
      p.status = 'completed';
      p.sort = '-updated';
      break;
    case 'trash':
      p.status = 'trash';
      p.sort = '-updated';
      break;
  }
  if (opts.chips.priority) p.priority = opts.chips.priority;
  if (opts.chips.tag) p.tag = opts.chips.tag;
  if (opts.chips.status && view.kind !== 'trash' && view.kind !== 'completed') p.status = opts.chips.status;
  if (opts.chips.due) filters.push(opts.chips.due);
  if (filters.length) p.filter = filters.map((f) => (filters.length > 1 ? `(${f})` : f)).join(' & ');
  if (opts.sort) p.sort = opts.sort;
  return p;
}

export const priorityLabels: Record<string, string> = {
  urgent: 'P1',
  high: 'P2',
  medium: 'P3',
  low: 'P4',
  none: '',
};
