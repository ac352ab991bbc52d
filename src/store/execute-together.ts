// Independent statements of one transaction sent together. On PostgreSQL the pool's connections
// pipeline (pg's `pipeline` mode): every statement goes out at once and the answers come back in
// order, so N statements cost one round trip instead of N — and each round trip wakes the
// database and then this process again. On SQLite, a call on this thread, they run one by one.
import type { Compilable, CompiledQuery, Kysely, QueryResult, Transaction } from 'kysely';
import { flatMapped } from '../domain/arrays';
import { BeginAheadConnection } from './postgres-driver';
import type { Database } from './schema';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Runs the statements in the given order and resolves with their results in that order, once all
 * have finished; when any failed, rejects with the first failure (in a transaction, those after
 * it fail too: PostgreSQL refuses everything until the rollback).
 *
 * `thenCommit`: these are the transaction's last statements; on PostgreSQL its COMMIT goes out
 * with them (BeginAheadConnection.sendCommit), and the transaction's commit only waits for it.
 * Nothing may run in the transaction after them.
 */
export async function executeTogether(executor: Executor, queries: CompiledQuery[], options: { thenCommit?: boolean } = {}): Promise<QueryResult<unknown>[]> {
  if (queries.length === 0) return [];
  // Kysely lets a transaction's connection run one statement at a time; taking the connection
  // itself lets them all be sent before the first answer is read.
  const settled = await executor.getExecutor().provideConnection((connection) => {
    const answers = queries.map((query) => connection.executeQuery(query));
    if (options.thenCommit && connection instanceof BeginAheadConnection) connection.sendCommit();
    return Promise.allSettled(answers);
  });
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<QueryResult<unknown>>).value);
}

/**
 * A read that can go out with others: its statements, and what their results answer.
 *
 * The reads below give `answer` as a method, not as an arrow (`answer: (results) => …`): tsx
 * compiles with esbuild's keepNames, which wraps every arrow that gets a name from where it is put
 * in an Object.defineProperty call each time it is made (~3,900 instructions), and a ledger batch
 * makes ~20 of these. Methods and unnamed callbacks are left as they are.
 */
export interface PlannedRead<T> {
  readonly statements: readonly CompiledQuery[];
  answer(results: readonly QueryResult<unknown>[]): T;
}

/** The rows of one or more statements (chunks of one query), concatenated. */
export function rowsRead<Row>(queries: Compilable<Row>[]): PlannedRead<Row[]> {
  return {
    statements: queries.map((query) => query.compile()),
    answer(results) {
      return flatMapped(results, (result) => result.rows as Row[]);
    },
  };
}

/** The same read, its answer passed through `shape`. */
export function mapRead<T, U>(read: PlannedRead<T>, shape: (answer: T) => U): PlannedRead<U> {
  return {
    statements: read.statements,
    answer(results) {
      return shape(read.answer(results));
    },
  };
}

/** Nothing to ask: answers without a statement. */
export function answeredRead<T>(value: T): PlannedRead<T> {
  return {
    statements: [],
    answer() {
      return value;
    },
  };
}

type Answers<Reads extends readonly PlannedRead<unknown>[]> = { -readonly [K in keyof Reads]: Reads[K] extends PlannedRead<infer T> ? T : never };

/** Several reads as one: their statements in order, their answers given to `combine`. */
export function combineReads<const Reads extends readonly PlannedRead<unknown>[], T>(reads: Reads, combine: (answers: Answers<Reads>) => T): PlannedRead<T> {
  return {
    statements: flatMapped(reads, (read) => read.statements),
    answer(results) {
      return combine(answerEach(reads, results));
    },
  };
}

/** Sends the reads' statements together (one round trip on PostgreSQL) and answers each. */
export async function readTogether<const Reads extends readonly PlannedRead<unknown>[]>(executor: Executor, reads: Reads): Promise<Answers<Reads>> {
  return answerEach(reads, await executeTogether(executor, flatMapped(reads, (read) => read.statements)));
}

/** One read on its own. */
export async function readOne<T>(executor: Executor, read: PlannedRead<T>): Promise<T> {
  return read.answer(await executeTogether(executor, [...read.statements]));
}

function answerEach<const Reads extends readonly PlannedRead<unknown>[]>(reads: Reads, results: readonly QueryResult<unknown>[]): Answers<Reads> {
  let offset = 0;
  return reads.map((read) => {
    const own = results.slice(offset, offset + read.statements.length);
    offset += read.statements.length;
    return read.answer(own);
  }) as Answers<Reads>;
}
