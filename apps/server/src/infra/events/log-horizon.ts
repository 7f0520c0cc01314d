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
 *   (b) the sequence hands out increasing values (default CACHE 1), and xids are assigned in increasing order.
 * A read at snapshot S returns visible rows up to seq M. Every seq g < M was handed out before S (by (b):
 * before M was, and M's row committed before S), to a transaction T that by (a) had its xid by then. The
 * reader then takes a fresh xid Y in a transaction of its own, after S, so xid(T) < Y. Once a later snapshot
 * S2 has xmin(S2) >= Y, no transaction with an xid below Y is running, so T has ended: had it committed,
 * g would be visible in S2; if g is still missing, it never will be, and the reader passes the gap.
 *
 * Why not S's own xid list: `xip(S)` only lists running xids below `xmax(S)`, and xmax is one past the
 * latest *completed* xid, not the next xid to be assigned. A writer that took its xid after the committed
 * row's writer took its own, but its seq before it, is running yet absent from xip(S). Trusting xip(S)
 * passed such gaps while the writer was still committing, and its event was skipped for good (issue 8).
 *
 * The common gap on PostgreSQL is a write still committing: its row appears a moment later and fills the
 * gap without any bound. The bound (one tiny transaction) is only taken when a read stops at a gap that the
 * current bound does not cover. On PGlite (one connection) gaps come only from rollbacks.
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

/**
 * A fresh transaction id, greater than that of every transaction that had one when this was called. Runs as
 * its own (committed) transaction, so it must not be called inside one; it writes no row and asks for no
 * durable commit.
 */
export async function takeXidBound(db: Db): Promise<bigint> {
  const result = (await db.execute(sql`select pg_current_xact_id()::text as xid`)) as unknown as {
    rows: { xid: string }[];
  };
  return BigInt(result.rows[0]!.xid);
}

/**
 * The reader's side of the proof above: a position such that every seq at or below it is either visible
 * or can never appear. Feed it each read of `seq > position` (all topics: a topic filter would make other
 * topics' rows look like gaps) with the snapshot the read used; when `boundWanted` is set afterwards, take
 * an xid with {@link takeXidBound} and hand it to `setBound` before the next read.
 */
export class SeqHorizon {
  /** every seq below `below` was handed out to a transaction with an xid below `xid` */
  private bound: { below: number; xid: bigint } | undefined;
  /** the highest visible seq of the read that stopped at a gap no bound covers */
  private wanted: number | undefined;
  private stopped = false;

  constructor(private pos: number) {}

  get position(): number {
    return this.pos;
  }

  /** whether the last `advance` stopped at a gap that still waits on running transactions */
  get waiting(): boolean {
    return this.stopped;
  }

  /** whether the last `advance` stopped at a gap that needs an xid bound taken after its read */
  get boundWanted(): boolean {
    return this.wanted !== undefined;
  }

  /** `xid` from {@link takeXidBound}, taken after the read that asked for it returned */
  setBound(xid: bigint): void {
    if (this.wanted === undefined) return;
    this.bound = { below: this.wanted, xid };
    this.wanted = undefined;
  }

  /**
   * `rows`: every visible row with seq > position (up to some limit), ascending, read at `snap`. Returns the
   * leading rows that are final in log order and moves the position past them (and past permanent gaps).
   */
  advance<T extends { seq: number }>(rows: readonly T[], snap: XidSnapshot): T[] {
    const safe: T[] = [];
    this.stopped = false;
    this.wanted = undefined;
    for (const row of rows) {
      if (row.seq <= this.pos) continue;
      if (row.seq > this.pos + 1 && !this.passGap(row.seq, snap)) {
        this.stopped = true;
        // only seqs below a row this read saw are known to be handed out before it: bound up to the last one
        if (!this.bound || this.bound.below < row.seq) this.wanted = rows[rows.length - 1]!.seq;
        break;
      }
      safe.push(row);
      this.pos = row.seq;
    }
    if (this.bound && this.bound.below <= this.pos) this.bound = undefined;
    return safe;
  }

  /** Seqs (position, next) are missing at `snap`, and `next` is visible. Can they be passed? */
  private passGap(next: number, snap: XidSnapshot): boolean {
    if (!this.bound || this.bound.below < next || snap.xmin < this.bound.xid) return false;
    this.pos = next - 1;
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
