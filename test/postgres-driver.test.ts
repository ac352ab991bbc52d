// BEGIN sent ahead (store/postgres-driver.ts): only SELECTs may follow it onto the wire before
// its answer is read, so a refused BEGIN can never leave a write outside a transaction.
import { CompiledQuery, DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type DatabaseConnection, type QueryResult } from 'kysely';
import type net from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { BeginAheadConnection, sendEachTurnTogether } from '../src/store/postgres-driver';

// Compiles without a database.
const compiler = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const select = compiler.selectFrom('members').select('id').where('id', '=', 'a').compile();
const insert = compiler.insertInto('members').values({ id: 'a' }).compile();

/** A connection that records what was sent and lets the test answer each statement. */
class ScriptedConnection implements DatabaseConnection {
  readonly sent: string[] = [];
  private readonly answers = new Map<string, { resolve(result: QueryResult<unknown>): void; reject(error: Error): void }>();
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    this.sent.push(query.sql);
    return new Promise((resolve, reject) => this.answers.set(query.sql, { resolve: resolve as never, reject }));
  }
  answer(sqlText: string, error?: Error): void {
    const answer = this.answers.get(sqlText);
    if (!answer) throw new Error(`${sqlText} was not sent`);
    if (error) answer.reject(error);
    else answer.resolve({ rows: [] });
  }
  async *streamQuery(): AsyncIterableIterator<QueryResult<never>> {
    throw new Error('not used');
  }
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A transaction just begun, with a SELECT and then an INSERT asked of it at once. */
function begunWithSelectThenInsert() {
  const inner = new ScriptedConnection();
  const connection = new BeginAheadConnection(inner);
  connection.sendBegin();
  return { inner, connection, read: connection.executeQuery(select), write: connection.executeQuery(insert) };
}

describe('BeginAheadConnection', () => {
  it('sends a SELECT right behind BEGIN and holds a write until BEGIN is answered, in order', async () => {
    const { inner, connection, read, write } = begunWithSelectThenInsert();
    const readAfterWrite = connection.executeQuery(select);
    await turn();
    expect(inner.sent).toEqual(['begin', select.sql]);
    inner.answer('begin');
    inner.answer(select.sql);
    await read;
    await turn();
    expect(inner.sent).toEqual(['begin', select.sql, insert.sql]);
    inner.answer(insert.sql);
    await write;
    await turn();
    expect(inner.sent).toEqual(['begin', select.sql, insert.sql, select.sql]);
    inner.answer(select.sql);
    await readAfterWrite;
  });

  it('when BEGIN is refused, the SELECT fails with its error, the write is never sent, the rollback is', async () => {
    const { inner, connection, read, write } = begunWithSelectThenInsert();
    inner.answer(select.sql);
    inner.answer('begin', new Error('begin refused'));
    await expect(read).rejects.toThrow('begin refused');
    await expect(write).rejects.toThrow('begin refused');
    const rollback = connection.executeQuery(CompiledQuery.raw('rollback'));
    await turn();
    inner.answer('rollback');
    await rollback;
    expect(inner.sent).toEqual(['begin', select.sql, 'rollback']);
  });

  it('outside a transaction sends everything at once', async () => {
    const inner = new ScriptedConnection();
    const connection = new BeginAheadConnection(inner);
    const first = connection.executeQuery(insert);
    const second = connection.executeQuery(select);
    expect(inner.sent).toEqual([insert.sql, select.sql]);
    inner.answer(insert.sql);
    inner.answer(select.sql);
    await Promise.all([first, second]);
  });
});

// A pipelined pg client wrote each statement with a system call of its own; sendEachTurnTogether
// holds what one turn of the event loop sends and writes it at once. Needs a PostgreSQL server.
const databaseUrl = process.env.DATABASE_URL;
describe.skipIf(!databaseUrl)('sendEachTurnTogether [postgres]', () => {
  it('sends the statements of one turn in one write, and their answers come back as before', async () => {
    const writesFor = async (together: boolean) => {
      const client = new pg.Client({ connectionString: databaseUrl, pipeline: true } as pg.ClientConfig);
      await client.connect();
      try {
        if (together) sendEachTurnTogether(client);
        const socket = (client as unknown as { connection: { stream: net.Socket } }).connection.stream;
        let writes = 0;
        // Node hands a socket's buffered chunks to _writev at once, or one to _write.
        const countingWritev = socket._writev?.bind(socket);
        const countingWrite = socket._write.bind(socket);
        socket._writev = countingWritev && ((chunks, callback) => { writes += 1; countingWritev(chunks, callback); });
        socket._write = (chunk, encoding, callback) => { writes += 1; countingWrite(chunk, encoding, callback); };
        const answers = await Promise.all([1, 2, 3].map((n) => client.query('select $1::int as n', [n])));
        expect(answers.map((answer) => answer.rows[0].n)).toEqual([1, 2, 3]);
        return writes;
      } finally {
        await client.end();
      }
    };
    expect(await writesFor(false)).toBeGreaterThan(1);
    expect(await writesFor(true)).toBe(1);
  });
});
