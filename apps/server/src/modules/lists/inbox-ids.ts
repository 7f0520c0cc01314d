import type { Executor } from '../../infra/db/db.ts';
import { ensureInbox } from './lists.repository.ts';

/**
 * Each user's Inbox list id, remembered in the process so that a create into the Inbox skips the lookup
 * (one round trip of the create's transaction). An entry stays right because the Inbox can be neither
 * renamed into an ordinary list nor deleted (lists.routes.ts) and list ids are random uuids, never reused:
 * an entry can only go stale when the list disappears with its user or with the whole database, or when
 * the transaction that made the Inbox rolled back. Then the task's foreign key to the list refuses the
 * insert, so the caller forgets the entry and looks again (TasksService.create). Holds at most `capacity` users; the least recently used one goes first.
 */
export class InboxIds {
  private readonly ids = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  async get(db: Executor, userId: string): Promise<string> {
    const known = this.ids.get(userId);
    if (known !== undefined) {
      // a Map iterates in insertion order: re-inserting keeps the recently used at the end
      this.ids.delete(userId);
      this.ids.set(userId, known);
      return known;
    }
    const id = await ensureInbox(db, userId);
    this.ids.set(userId, id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.keys().next().value!);
    return id;
  }

  forget(userId: string): void {
    this.ids.delete(userId);
  }
}
