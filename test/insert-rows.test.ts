// Multi-row inserts whose SQL is compiled once per shape (store/insert-rows.ts): the reused text
// writes the same rows as Kysely's own statement, on each store, and anything unusual falls back
// to compiling afresh.
import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileInsertRows } from '../src/store/insert-rows';
import { describeEachStore } from './support/stores';

describeEachStore('compileInsertRows', (env) => {
  it('reuses the first statement’s text and writes every row of later calls with their own values', async () => {
    const m = await env().newMerchant();
    const { db, dialect } = env().store;
    const member = (id: string, name: string | null) => ({ merchant_id: m.merchantId, id, name, created_at_ms: 1, updated_at_ms: 2 });
    const compile = (rows: ReturnType<typeof member>[]) => db.insertInto('members').values(rows).compile();
    const first = compileInsertRows(dialect, 'members test', [member('mem_rows_1', 'Nok'), member('mem_rows_2', null)], compile);
    const second = compileInsertRows(dialect, 'members test', [member('mem_rows_3', 'Ploy'), member('mem_rows_4', 'Fah')], compile);
    expect(second.sql).toBe(first.sql);
    expect(second.query.kind).toBe('RawNode'); // laid out from the cache, not built by Kysely
    expect(second).not.toBe(first);
    for (const statement of [first, second]) await db.executeQuery(statement);
    const stored = await db.selectFrom('members').select(['id', 'name', 'updated_at_ms'])
      .where('merchant_id', '=', m.merchantId).orderBy('id').execute();
    expect(stored.map((row) => ({ ...row, updated_at_ms: Number(row.updated_at_ms) }))).toEqual([
      { id: 'mem_rows_1', name: 'Nok', updated_at_ms: 2 },
      { id: 'mem_rows_2', name: null, updated_at_ms: 2 },
      { id: 'mem_rows_3', name: 'Ploy', updated_at_ms: 2 },
      { id: 'mem_rows_4', name: 'Fah', updated_at_ms: 2 },
    ]);
  });

  it('compiles anew for another row count, another shape, or rows that do not share their columns', () => {
    const { db, dialect } = env().store;
    const compiled: CompiledQuery[] = [];
    const compile = (rows: Record<string, unknown>[]) => {
      const query = db.insertInto('members').values(rows as never).compile();
      compiled.push(query);
      return query;
    };
    const row = (id: string) => ({ merchant_id: 'mer_x', id, created_at_ms: 1, updated_at_ms: 1 });
    compileInsertRows(dialect, 'members count', [row('a')], compile);
    compileInsertRows(dialect, 'members count', [row('a'), row('b')], compile);
    expect(compiled).toHaveLength(2);
    compileInsertRows(dialect, 'members count', [row('c'), row('d')], compile);
    expect(compiled).toHaveLength(2);
    compileInsertRows(dialect, 'members other shape', [row('c'), row('d')], compile);
    expect(compiled).toHaveLength(3);
    // An undefined value is written as DEFAULT by Kysely: never taken from a cached text.
    const withUndefined = compileInsertRows(dialect, 'members count', [row('e'), { ...row('f'), name: undefined }], compile);
    expect(compiled).toHaveLength(4);
    expect(withUndefined).toBe(compiled[3]);
    const extraColumn = compileInsertRows(dialect, 'members count', [row('g'), { ...row('h'), name: 'x' }], compile);
    expect(extraColumn).toBe(compiled[4]);
  });
});

describe('compileInsertRows across dialects', () => {
  it('keeps each dialect’s text apart', () => {
    const sqliteText = (rows: unknown[]) => CompiledQuery.raw(`insert ? x${rows.length}`, rows.flatMap((row) => Object.values(row as object)));
    const postgresText = (rows: unknown[]) => CompiledQuery.raw(`insert $1 x${rows.length}`, rows.flatMap((row) => Object.values(row as object)));
    const sqlite = {};
    const postgres = {};
    expect(compileInsertRows(sqlite, 't', [{ a: 1 }], sqliteText).sql).toBe('insert ? x1');
    expect(compileInsertRows(postgres, 't', [{ a: 1 }], postgresText).sql).toBe('insert $1 x1');
    expect(compileInsertRows(sqlite, 't', [{ a: 2 }], postgresText).sql).toBe('insert ? x1');
    expect(compileInsertRows(sqlite, 't', [{ a: 2 }], postgresText).parameters).toEqual([2]);
  });
});
