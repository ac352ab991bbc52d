// better-sqlite3 under Kysely, tuned for a durable single-writer ledger.
// Kysely's SqliteDriver opens transactions with a plain (deferred) BEGIN, which lets two processes
// both read and then fail with SQLITE_BUSY when they upgrade to a write; BEGIN IMMEDIATE takes the
// write lock up front so the busy timeout queues writers instead.
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type QueryResult, type SqliteDialectConfig } from 'kysely';
import { loadWalWriteBuffer } from './wal-write-buffer';

/**
 * Whose turn it is to write, among the threads of one process that share a database file (the
 * main thread, the ledger writer thread): a lock word in shared memory. SQLite's own busy handler
 * waits by sleeping ever longer (up to 100 ms a try), so a thread that asks while another writes
 * back to back can wait for seconds; here the waiter wakes the moment the writer lets go.
 * It only orders the threads: SQLite's lock still guards the data, and a turn not given back
 * within the busy timeout (a thread that died mid-transaction) is taken over.
 */
export class WriteTurn {
  private readonly word: Int32Array;
  private held = false;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4), private readonly timeoutMs = 10_000) {
    this.word = new Int32Array(buffer);
  }

  take(): void {
    const deadline = performance.now() + this.timeoutMs;
    while (Atomics.compareExchange(this.word, 0, 0, 1) !== 0) {
      const leftMs = deadline - performance.now();
      if (leftMs <= 0) {
        // Not given back in time: its holder died mid-transaction, or is very slow. Take it over,
        // so that one lost turn does not make every later transaction wait this long too.
        Atomics.store(this.word, 0, 1);
        break;
      }
      Atomics.wait(this.word, 0, 1, leftMs);
    }
    this.held = true;
  }

  giveBack(): void {
    if (!this.held) return;
    this.held = false;
    Atomics.store(this.word, 0, 0);
    Atomics.notify(this.word, 0, 1);
  }
}

/**
 * Most parameters a statement gets as separate arguments (see PositionalSqliteConnection); more go
 * as one array, so that a huge statement does not put tens of thousands of values on the stack.
 */
const maxSpreadParameters = 4096;

/**
 * Kysely's connection for better-sqlite3, except that the parameters go to the statement as
 * separate arguments instead of one array. better-sqlite3 reads an array element by element
 * through V8's generic property lookup (v8::Object::Get, ~420 instructions a value under
 * callgrind) but takes arguments straight from the call: a ledger batch binds ~1,200 values.
 */
/**
 * Whether every value binds as itself when passed as an argument. better-sqlite3 takes an argument
 * that is an array as several parameters and a plain object as named ones, where inside the array
 * form either is refused; those statements keep the array form, and with it the error.
 */
function allScalar(parameters: readonly unknown[]): boolean {
  for (const value of parameters) {
    if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) return false;
  }
  return true;
}

class PositionalSqliteConnection implements DatabaseConnection {
  constructor(private readonly database: SqliteDatabase.Database) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.database.prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters as unknown[];
    const spread = parameters.length <= maxSpreadParameters && allScalar(parameters);
    if (statement.reader) {
      return Promise.resolve({ rows: (spread ? statement.all(...parameters) : statement.all(parameters)) as R[] });
    }
    const { changes, lastInsertRowid } = spread ? statement.run(...parameters) : statement.run(parameters);
    return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const statement = this.database.prepare(compiledQuery.sql);
    if (!statement.reader) throw new Error('Sqlite driver only supports streaming of select queries');
    for (const row of statement.iterate(compiledQuery.parameters as unknown[])) yield { rows: [row as R] };
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  #connection: PositionalSqliteConnection | undefined;

  constructor(private readonly config: SqliteDialectConfig, private readonly turn: WriteTurn | undefined) {
    super(config);
  }

  /** Kysely's driver hands out the one connection under its mutex; this hands out ours instead. */
  override async acquireConnection(): Promise<DatabaseConnection> {
    const database = this.database();
    if (!database) throw new Error('the SQLite store opens its database itself and passes it to the dialect');
    await super.acquireConnection();
    this.#connection ??= new PositionalSqliteConnection(database);
    return this.#connection;
  }

  /** The connection, when it was given as one (the store always does) rather than as a factory. */
  private database(): SqliteDatabase.Database | undefined {
    return typeof this.config.database === 'function' ? undefined : this.config.database as unknown as SqliteDatabase.Database;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    this.turn?.take();
    try {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    } catch (error) {
      this.turn?.giveBack();
      throw error;
    }
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.commitTransaction(connection);
    } finally {
      this.turn?.giveBack();
    }
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      // SQLite rolls a transaction back by itself on some errors (a full disk, an I/O error); a
      // ROLLBACK then fails with "no transaction is active" and would hide the error that matters.
      if (this.database()?.inTransaction === false) return;
      await super.rollbackTransaction(connection);
    } finally {
      this.turn?.giveBack();
    }
  }
}

// SQLite's DDL is transactional, though Kysely's adapter says otherwise. Saying so makes the migrator
// run in one BEGIN IMMEDIATE transaction, so a second process migrating at the same moment waits and
// then finds nothing to do, instead of creating the same tables again.
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #turn: WriteTurn | undefined;
  constructor(config: SqliteDialectConfig, turn?: WriteTurn) {
    super(config);
    this.#config = config;
    this.#turn = turn;
  }
  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.#config, this.#turn);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

const statementCacheSize = 512;

/** How many WAL pages a connection lets pile up before it checkpoints in the commit that crosses the mark. */
export const inlineCheckpointPages = 4000;
/**
 * With background checkpoints (wal-checkpointer-thread.ts) a connection checkpoints only if that
 * thread falls this far behind (~400 MB of WAL): a safety net, not the way it is meant to happen.
 */
export const backgroundCheckpointSafetyPages = 100_000;

export interface SqliteFileOptions {
  /** A checkpointer thread keeps the WAL short, so commits do not checkpoint themselves. */
  backgroundCheckpoints?: boolean | undefined;
}

/**
 * Opens the file with WAL and synchronous=FULL: an acknowledged commit is on disk and survives
 * `kill -9` and power loss. Prepared statements are cached by SQL text, since Kysely prepares anew
 * on every call and preparing costs more than running a small statement.
 */
export function openSqliteFile(filePath: string, options: SqliteFileOptions = {}): SqliteDatabase.Database {
  loadWalWriteBuffer();
  const database = new SqliteDatabase(filePath);
  // First, so that even switching to WAL waits for another process instead of failing busy.
  database.pragma('busy_timeout = 10000');
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  // Checkpoint every ~16 MB of WAL instead of ~4 MB: hot pages rewritten by many group commits are
  // copied to the database file once per checkpoint, not once per small checkpoint. The checkpoint
  // runs inside the commit that crosses the mark, so a bigger one is a longer stall: measured with
  // `npm run bench -- ledger` (three runs each), 10,000 pages gave 5,590 ops/s and p99 30.5 ms over
  // HTTP, 4,000 pages 5,430 ops/s and p99 25.9 ms, 2,000 pages about 15% fewer ops/s. The server
  // moves that stall off the committing threads (background checkpoints).
  database.pragma(`wal_autocheckpoint = ${options.backgroundCheckpoints ? backgroundCheckpointSafetyPages : inlineCheckpointPages}`);
  // A page cache of 32 MiB per connection instead of SQLite's 2 MB: the member- and person-keyed
  // index pages a command touches are scattered, and with the small cache most of them were read
  // back from the OS on every batch. Measured alternately (three pairs each): ledger over HTTP
  // +9–15% ops/s, ingestion +1–11% events/s. The cache only grows as pages are used.
  database.pragma('cache_size = -32768');
  // Statement journals in memory: inside a group commit each multi-row statement keeps one, and
  // past 64 KiB SQLite spilled it to a new temp file per transaction (open, ~200 writes, unlink,
  // seen with strace). Two alternating pairs of `npm run bench -- ledger`: in-process 4,994→6,164
  // and 5,020→5,782 ops/s, over HTTP 2,716→3,242 and 3,247→3,317. Sorts too big for an index also
  // stay in memory; the one such query, `sentang ledger check`, holds every lot in memory anyway.
  database.pragma('temp_store = MEMORY');
  const prepareUncached = database.prepare.bind(database);
  const statements = new Map<string, SqliteDatabase.Statement>();
  database.prepare = ((source: string) => {
    let statement = statements.get(source);
    if (!statement) {
      if (statements.size >= statementCacheSize) statements.clear();
      statement = prepareUncached(source);
      statements.set(source, statement);
    }
    return statement;
  }) as typeof database.prepare;
  return database;
}
