import fs from 'node:fs';
import path from 'node:path';
import { Kysely } from 'kysely';
import pg from 'pg';
import { postgresDialect, sqliteDialect, type StoreDialect } from './dialect';
import { migrateToLatest } from './migrate';
import type { Database } from './schema';
import { ImmediateSqliteDialect, openSqliteFile, WriteTurn, type SqliteFileOptions } from './sqlite-driver';
import { PostgresArrayListsPlugin } from './postgres-array-lists';
import { BeginAheadPostgresDialect, prepareRepeatedStatements, sendEachTurnTogether, StatementNames } from './postgres-driver';
import { loadWalWriteBuffer } from './wal-write-buffer';

export interface Store {
  db: Kysely<Database>;
  dialect: StoreDialect;
  /** Where the data lives, for logs: a file path or the PostgreSQL URL without its password. */
  location: string;
  /** How it was opened, so another thread can open the same store. */
  config: { databaseUrl?: string | undefined; dataDir?: string | undefined; maxConnections?: number | undefined; writeTurn?: SharedArrayBuffer | undefined; backgroundCheckpoints?: boolean | undefined };
  /** Why this store runs slower than it could (SQLite without its WAL write buffer), for the start-up log. */
  performanceWarning?: string | undefined;
  /** SQLite: the shared word of this process's write turns (see WriteTurn). */
  writeTurn?: SharedArrayBuffer | undefined;
  close(): Promise<void>;
}

export interface StoreConfig {
  /** A postgres:// URL selects PostgreSQL; otherwise SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** PostgreSQL pool size. */
  maxConnections?: number | undefined;
  migrate?: boolean;
  /**
   * SQLite: the shared word through which the threads of this process take turns to write (see
   * WriteTurn). A thread opening the same store passes the opener's, so they wait for each other.
   */
  writeTurn?: SharedArrayBuffer | undefined;
  /**
   * SQLite: commits leave checkpoints to a checkpointer thread (startWalCheckpointer), which the
   * opener starts; every thread opening the same store passes the same.
   */
  backgroundCheckpoints?: boolean | undefined;
}

const int8Oid = 20;
const numericOid = 1700;

export async function openStore(config: StoreConfig): Promise<Store> {
  const store = config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl)
    ? openPostgres(config.databaseUrl, config.maxConnections ?? 12)
    : openSqlite(config.dataDir ?? './data', new WriteTurn(config.writeTurn), { backgroundCheckpoints: config.backgroundCheckpoints });
  store.config = {
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: config.maxConnections, writeTurn: store.writeTurn,
    backgroundCheckpoints: config.backgroundCheckpoints,
  };
  if (config.migrate !== false) await migrateToLatest(store.db);
  return store as Store;
}

function openSqlite(dataDir: string, turn: WriteTurn, options: SqliteFileOptions): Omit<Store, 'config'> & Partial<Pick<Store, 'config'>> {
  fs.mkdirSync(dataDir, { recursive: true });
  const filePath = path.resolve(dataDir, 'sentang.db');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: openSqliteFile(filePath, options) }, turn) });
  const buffer = loadWalWriteBuffer();
  const performanceWarning = buffer.loaded ? undefined : `SQLite runs without its WAL write buffer, so each commit makes two system calls per page: ${buffer.reason}`;
  return { db, dialect: sqliteDialect, location: filePath, close: () => db.destroy(), writeTurn: turn.buffer, performanceWarning };
}

function openPostgres(databaseUrl: string, maxConnections: number): Omit<Store, 'config'> & Partial<Pick<Store, 'config'>> {
  // Points, counts and epoch milliseconds all fit in a double; parse bigint and numeric sums as numbers.
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === int8Oid || oid === numericOid) return (value: string) => Number(value);
      return pg.types.getTypeParser(oid, format);
    },
  } as pg.CustomTypesConfig;
  // Pipelined connections: statements that executeTogether sends at once share one round trip.
  // Kysely still runs one statement at a time everywhere else, so nothing else changes.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections, types, pipeline: true });
  const statementNames = new StatementNames();
  pool.on('connect', (client) => {
    sendEachTurnTogether(client);
    prepareRepeatedStatements(client, statementNames);
  });
  // An idle connection that the server closes (restart, failover, a dropped database) emits an
  // error on the pool; unhandled, it would end the process. The pool replaces the connection.
  pool.on('error', (error) => {
    process.stderr.write(`PostgreSQL connection lost (${(error as { code?: string }).code ?? error.message}); it will be replaced\n`);
  });
  // Lists as one array parameter, so statement texts stay the same and can stay prepared.
  const db = new Kysely<Database>({ dialect: new BeginAheadPostgresDialect({ pool }), plugins: [new PostgresArrayListsPlugin()] });
  const location = databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return { db, dialect: postgresDialect, location, close: () => db.destroy() };
}
