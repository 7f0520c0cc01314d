import { sql } from 'drizzle-orm';
import type { Db } from '../db/db.ts';
import { outbox } from '../db/schema.ts';
import type { CloudEvent } from './cloud-event.ts';

/**
 * Following the outbox by `seq` without a commit-order lock (DESIGN §4 rule 1).
 *
 * Writers take `seq` from a sequence and commit whenever they finish, so seq 11 may become visible before
 * seq 10. A reader that moved its position past 10 would skip it forever. So readers stop at the first gap
 * and pass it only once it is provably permanent (a rollback, a deleted row, a sequence value lost in a
 * crash). The proof, with two facts from the writer (`appendEvents`):
 *   (a) the writing transaction has its xid *before* it takes a seq (it calls `pg_current_xact_id()` first);
 *   (b) the sequence hands out increasing values (default CACHE 1).
 * A reader reads `seq > position` at snapshot S and sees row r visible but seq g < r missing. Row r's
 * transaction committed before S; by (b) g was handed out before r, so before S, to a transaction T that
 * by (a) already had an xid then: T's xid < xmax(S). Either T was running at S — then its xid is in
 * xip(S) — or it had ended before S, and since g is not visible, T rolled back or g was deleted. So every
 * seq missing below r can only still appear if some xid of xip(S) is still running. We remember xip(S)
 * and drop each xid once a later snapshot shows it ended (below that snapshot's xmin, or below its xmax
 * and not in its xip); when none is left, the gap is permanent and the reader passes it.
 *
 * On PGlite (one connection) no other transaction can be running while the reader's statement runs, so
 * xip(S) is empty and a gap is passed at once. On PostgreSQL the common gap is a write still committing;
 * its row appears a moment later and fills the gap without any waiting on xids.
 */

/** A snapshot as `pg_current_snapshot()::text` prints it: `xmin:xmax:xip1,xip2,…`. */
export interface XidSnapshot {
  xmin: bigint;
  xmax: bigint;
  xip: ReadonlySet<bigint>;
}

export function parseSnapshot(text: string): XidSnapshot {
  const [xmin, xmax, xip] = text.split(':');
  if (xmin === undefined || xmax === undefined) throw new Error(`not a pg_snapshot: ${text}`);
  return {
    xmin: BigInt(xmin),
    xmax: BigInt(xmax),
    xip: new Set(xip ? xip.split(',').map((x) => BigInt(x)) : []),
  };
}

/** Whether transaction `xid` (which existed when an earlier snapshot was taken) has ended as of `snap`. */
function endedIn(xid: bigint, snap: XidSnapshot): boolean {
  return xid < snap.xmin || (xid < snap.xmax && !snap.xip.has(xid));
}

/**
 * The reader's side of the proof above: a position such that every seq at or below it is either visible
 * or can never appear. Feed it each read of `seq > position` (all topics: a topic filter would make other
 * topics' rows look like gaps) with the snapshot the read used.
 */
export class SeqHorizon {
  /** the pending gap: every missing seq <= upTo can only still appear while one of `running` runs */
  private gap: { upTo: number; running: bigint[] } | undefined;

  constructor(private pos: number) {}

  get position(): number {
    return this.pos;
  }

  /** whether the last `advance` stopped at a gap that still waits on running transactions */
  get waiting(): boolean {
    return this.gap !== undefined;
  }

  /**
   * `rows`: every visible row with seq > position (up to some limit), ascending, read at `snap`. Returns the
   * leading rows that are final in log order and moves the position past them (and past permanent gaps).
   */
  advance<T extends { seq: number }>(rows: readonly T[], snap: XidSnapshot): T[] {
    const safe: T[] = [];
    for (const row of rows) {
      if (row.seq <= this.pos) continue;
      if (row.seq > this.pos + 1 && !this.passGap(row.seq - 1, snap)) break;
      safe.push(row);
      this.pos = row.seq;
    }
    if (this.gap && this.gap.upTo <= this.pos) this.gap = undefined;
    return safe;
  }

  /** Seqs (position, upTo] are missing at `snap`, and a row above upTo is visible. Can they be passed? */
  private passGap(upTo: number, snap: XidSnapshot): boolean {
    // An earlier record covering the whole range keeps its (shrinking) set; otherwise this snapshot's xip
    // is a valid set for the range: every seq below a visible row was handed out before `snap`.
    const running =
      this.gap && this.gap.upTo >= upTo
        ? this.gap.running.filter((xid) => !endedIn(xid, snap))
        : [...snap.xip];
    if (running.length > 0) {
      this.gap = { upTo: this.gap && this.gap.upTo >= upTo ? this.gap.upTo : upTo, running };
      return false;
    }
    this.pos = upTo;
    return true;
  }
}

export interface OutboxRow {
  seq: number;
  topic: string;
  partitionKey: string;
  event: CloudEvent;
  /** false once the Dapr relay published it */
  unpublished: boolean;
}

interface RawRow {
  seq: number | string;
  topic: string;
  partition_key: string;
  event: CloudEvent;
  unpublished: boolean;
}

/**
 * One statement: the snapshot it ran at, and up to `limit` rows with seq > `after` (all topics), ascending.
 * The snapshot must be the one the rows were read at, hence a single statement (one snapshot per
 * statement under READ COMMITTED). With `unpublishedUpTo`, also the unpublished rows at or below it.
 */
export async function readOutboxTail(
  db: Db,
  after: number,
  limit: number,
  unpublishedUpTo?: number,
): Promise<{ snapshot: XidSnapshot; rows: OutboxRow[] }> {
  const columns = sql`seq, topic, partition_key, event, published_at is null as unpublished`;
  const tail = sql`(select ${columns} from ${outbox} where seq > ${after} order by seq limit ${limit})`;
  const source =
    unpublishedUpTo === undefined
      ? tail
      : sql`(select ${columns} from ${outbox} where published_at is null and seq <= ${unpublishedUpTo}
             order by seq limit ${limit}) union all ${tail}`;
  const result = (await db.execute(sql`
    select pg_current_snapshot()::text as snapshot,
           coalesce((select json_agg(t order by t.seq) from (${source}) t), '[]'::json) as rows`)) as unknown as {
    rows: { snapshot: string; rows: RawRow[] | string }[];
  };
  const first = result.rows[0]!;
  // node-postgres and PGlite both parse json columns; a driver that did not would hand back text
  const raw = typeof first.rows === 'string' ? (JSON.parse(first.rows) as RawRow[]) : first.rows;
  return {
    snapshot: parseSnapshot(first.snapshot),
    rows: raw.map((r) => ({
      seq: Number(r.seq),
      topic: r.topic,
      partitionKey: r.partition_key,
      event: r.event,
      unpublished: r.unpublished,
    })),
  };
}
