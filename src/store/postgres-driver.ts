// pg under Kysely, with BEGIN sent ahead. The pool's connections pipeline (see
// execute-together.ts), so a transaction's BEGIN need not be waited for on its own: it goes out
// with the transaction's first statement, and every transaction costs one round trip less.
//
// What makes that safe: until the answer to BEGIN is read, only SELECTs follow it onto the wire.
// Were BEGIN refused, such a SELECT would have run outside the transaction and changed nothing,
// and its caller gets BEGIN's error all the same. Any other statement waits for BEGIN's answer,
// and the statements after it wait in order, so nothing can write outside a transaction.
import { CompiledQuery, PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver, type QueryResult, type TransactionSettings } from 'kysely';
import type pg from 'pg';

/**
 * Makes a pipelined client send the statements it is given in one turn of the event loop in one
 * write. pg writes each statement's messages with a system call of its own, so a batch's reads,
 * sent together (execute-together.ts), took one each, and each woke the server's backend: the
 * ledger writer spent ~10% of its time in those writes. Corked until the current microtasks have
 * run, they go out together; nothing waits longer than that.
 */
export function sendEachTurnTogether(client: pg.Client): void {
  const stream = (client as unknown as { connection?: { stream?: { cork?(): void; uncork?(): void } } }).connection?.stream;
  if (!stream?.cork || !stream.uncork) return;
  let corked = false;
  client.query = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      stream.cork?.();
      process.nextTick(() => {
        corked = false;
        stream.uncork?.();
      });
    }
    // The class's method as it is now, so whatever wraps it later (tracing, tests) still sees every statement.
    const query = (Object.getPrototypeOf(client) as { query: (...queryArgs: unknown[]) => unknown }).query;
    return query.apply(client, args);
  }) as typeof client.query;
}

/**
 * Which statement texts a connection keeps prepared, by name: those sent at least `minUses` times
 * and no longer than `maxLength`, up to `maxNamed` texts for the process. PostgreSQL then parses
 * and analyses such a statement once per connection instead of on every execution (with the
 * ledger's texts fixed by PostgresArrayListsPlugin and JSON row inserts, ~20 texts carry the hot
 * path). The bounds keep one-off texts from being prepared and a connection's memory in check: a
 * prepared statement costs the server tens of kilobytes, and a multi-row VALUES insert far more.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly uses = new Map<string, number>();

  constructor(private readonly limits = { minUses: 3, maxLength: 4000, maxNamed: 500, maxCounted: 10_000 }) {}

  /** The name to prepare `text` under, or undefined to send it unnamed. */
  nameFor(text: string): string | undefined {
    const name = this.names.get(text);
    if (name !== undefined || text.length > this.limits.maxLength || this.names.size >= this.limits.maxNamed) return name;
    const uses = (this.uses.get(text) ?? 0) + 1;
    if (uses < this.limits.minUses) {
      if (this.uses.size >= this.limits.maxCounted) this.uses.clear();
      this.uses.set(text, uses);
      return undefined;
    }
    this.uses.delete(text);
    const named = `sentang_${this.names.size + 1}`;
    this.names.set(text, named);
    return named;
  }
}

/**
 * Sends the statements that `names` names as prepared statements of this connection (pg parses a
 * named statement on its first use on a connection and only binds it after). Kysely passes a
 * statement as (text, values); only statements with values are named.
 */
export function prepareRepeatedStatements(client: pg.Client, names: StatementNames): void {
  const send = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0) {
      const name = names.nameFor(text);
      if (name !== undefined) return send({ name, text, values }, ...args.slice(2));
    }
    return send(...args);
  }) as typeof client.query;
}

/** Exported for its tests; the dialect below is what the store uses. */
export class BeginAheadConnection implements DatabaseConnection {
  /** BEGIN, sent; settled once its answer is read. Undefined outside that window. */
  private begin: Promise<unknown> | undefined;
  /** The last statement held back behind BEGIN; those after it queue behind it, in order. */
  private held: Promise<unknown> | undefined;
  /** COMMIT, sent with the transaction's last statements (sendCommit); the driver awaits it. */
  private commit: Promise<unknown> | undefined;

  constructor(readonly inner: DatabaseConnection) {}

  sendBegin(): void {
    // A new transaction: a COMMIT of an earlier one is never its own.
    this.commit = undefined;
    const begin = this.inner.executeQuery(CompiledQuery.raw('begin'));
    this.begin = begin;
    const settled = () => {
      if (this.begin === begin) this.begin = undefined;
    };
    begin.then(settled, settled);
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const begin = this.begin;
    if (!begin && !this.held) return this.inner.executeQuery<R>(query);
    if (begin && !this.held && query.query.kind === 'SelectQueryNode') {
      const result = this.inner.executeQuery<R>(query);
      return Promise.all([begin, result]).then(([, answer]) => answer);
    }
    return this.hold<R>(query, begin);
  }

  /**
   * Sends COMMIT right behind the statements sent so far, without waiting for their answers: one
   * round trip less per transaction. Only for a transaction's last statements: should one of them
   * fail, PostgreSQL ends the transaction and answers this COMMIT with a rollback, and the
   * driver's commit or rollback then only waits for it.
   */
  sendCommit(): void {
    const commit = this.executeQuery(CompiledQuery.raw('commit'));
    // Awaited by the driver's commit or rollback; until then a failure is not unhandled.
    commit.catch(() => undefined);
    this.commit = commit;
  }

  /** The COMMIT sent by sendCommit, once; undefined when none was. */
  takeCommit(): Promise<unknown> | undefined {
    const commit = this.commit;
    this.commit = undefined;
    return commit;
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }

  private hold<R>(query: CompiledQuery, begin: Promise<unknown> | undefined): Promise<QueryResult<R>> {
    const previous = this.held;
    const run = (async () => {
      await previous?.catch(() => undefined);
      // A refused BEGIN fails everything after it, except the rollback Kysely sends to clean up.
      if (begin && query.sql !== 'rollback') await begin;
      else await begin?.catch(() => undefined);
      return this.inner.executeQuery<R>(query);
    })();
    this.held = run;
    const settled = () => {
      if (this.held === run) this.held = undefined;
    };
    run.then(settled, settled);
    return run;
  }
}

class BeginAheadPostgresDriver extends PostgresDriver {
  private readonly wrappers = new WeakMap<DatabaseConnection, BeginAheadConnection>();

  override async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await super.acquireConnection();
    let wrapper = this.wrappers.get(inner);
    if (!wrapper) {
      wrapper = new BeginAheadConnection(inner);
      this.wrappers.set(inner, wrapper);
    }
    return wrapper;
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (settings.isolationLevel || settings.accessMode) return super.beginTransaction(connection, settings);
    (connection as BeginAheadConnection).sendBegin();
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const sent = (connection as BeginAheadConnection).takeCommit();
    if (sent) await sent;
    else await super.commitTransaction(connection);
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const sent = (connection as BeginAheadConnection).takeCommit();
    // The COMMIT went out with the last statements and one of them failed: PostgreSQL has rolled
    // the transaction back already (or the connection is gone, which ends it too).
    if (sent) await sent.catch(() => undefined);
    else await super.rollbackTransaction(connection);
  }

  override async releaseConnection(connection: DatabaseConnection): Promise<void> {
    return super.releaseConnection((connection as BeginAheadConnection).inner as Parameters<PostgresDriver['releaseConnection']>[0]);
  }
}

export class BeginAheadPostgresDialect extends PostgresDialect {
  readonly #config: ConstructorParameters<typeof PostgresDialect>[0];
  constructor(config: ConstructorParameters<typeof PostgresDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new BeginAheadPostgresDriver(this.#config);
  }
}
