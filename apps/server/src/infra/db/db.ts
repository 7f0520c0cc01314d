import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

export type Schema = typeof schema;
/** The Drizzle handle every repository uses; identical for PGlite and node-postgres. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a query can run on: the database or an open transaction. */
export type Executor = Db | Tx;

/** Database port: PGlite in the embedded shape, PostgreSQL (node-postgres pool) in the cloud shape. */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Applies the migrations folder; idempotent. */
  migrate(): Promise<void>;
  /** Connection pool occupancy (PostgreSQL only: PGlite is one in-process connection). */
  poolStats?(): { total: number; idle: number; waiting: number };
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = new URL('../../../drizzle', import.meta.url).pathname;
