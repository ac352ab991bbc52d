// better-sqlite3 under Kysely, tuned for a durable single-writer ledger.
// Kysely's SqliteDriver opens transactions with a plain (deferred) BEGIN, which lets two processes
// both read and then fail with SQLITE_BUSY when they upgrade to a write; BEGIN IMMEDIATE takes the
// write lock up front so the busy timeout queues writers instead.
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type SqliteDialectConfig } from 'kysely';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
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
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.#config);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

const statementCacheSize = 512;

/**
 * Opens the file with WAL and synchronous=FULL: an acknowledged commit is on disk and survives
 * `kill -9` and power loss. Prepared statements are cached by SQL text, since Kysely prepares anew
 * on every call and preparing costs more than running a small statement.
 */
export function openSqliteFile(filePath: string): SqliteDatabase.Database {
  const database = new SqliteDatabase(filePath);
  // First, so that even switching to WAL waits for another process instead of failing busy.
  database.pragma('busy_timeout = 10000');
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  // Checkpoint every ~40 MB of WAL instead of ~4 MB: hot pages rewritten by many group commits
  // are copied to the database file once per checkpoint, not once per small checkpoint.
  database.pragma('wal_autocheckpoint = 10000');
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
