// How the store's statements reach PostgreSQL: lists as one array parameter, ledger rows as one
// JSON parameter, and repeated texts kept prepared, so a statement's text stays the same whatever
// the batch and PostgreSQL parses it once per connection. The plugin's and the naming's rules are
// checked without a database; what the statements do is checked on every store by describeEachStore.
import { CompiledQuery, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, DummyDriver, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileInsertJsonRows } from '../src/store/insert-rows';
import { PostgresArrayListsPlugin } from '../src/store/postgres-array-lists';
import { StatementNames } from '../src/store/postgres-driver';
import type { Database } from '../src/store/schema';
import { describeEachStore } from './support/stores';

const compiler = new Kysely<Database>({
  dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() },
  plugins: [new PostgresArrayListsPlugin()],
});

describe('PostgresArrayListsPlugin', () => {
  it('sends `in` and `not in` lists as one array, so the text is the same for any length', () => {
    const query = (ids: string[]) => compiler.selectFrom('members').select('id').where('merchant_id', '=', 'mch_1').where('id', 'in', ids).where('phone_e164', 'not in', ids).compile();
    const one = query(['mem_a']);
    const three = query(['mem_a', 'mem_b', 'mem_c']);
    expect(three.sql).toBe('select "id" from "members" where "merchant_id" = $1 and "id" = any($2) and "phone_e164" <> all($3)');
    expect(one.sql).toBe(three.sql);
    expect(three.parameters).toEqual(['mch_1', ['mem_a', 'mem_b', 'mem_c'], ['mem_a', 'mem_b', 'mem_c']]);
  });

  it('leaves a list of expressions and other operators as they are', () => {
    const query = compiler.selectFrom('members').select('id').where('id', 'in', [sql<string>`'mem_x'`]).where('created_at_ms', '>', 5).compile();
    expect(query.sql).toBe('select "id" from "members" where "id" in (\'mem_x\') and "created_at_ms" > $1');
  });
});

describe('StatementNames', () => {
  it('names a text on its third use, keeps the name, and leaves long texts and texts past the limit unnamed', () => {
    const names = new StatementNames({ minUses: 3, maxLength: 40, maxNamed: 2, maxCounted: 100 });
    expect([names.nameFor('select 1'), names.nameFor('select 1')]).toEqual([undefined, undefined]);
    const first = names.nameFor('select 1');
    expect(first).toBeDefined();
    expect(names.nameFor('select 1')).toBe(first);
    const long = `select ${'x'.repeat(40)}`;
    for (let use = 0; use < 5; use += 1) expect(names.nameFor(long)).toBeUndefined();
    for (let use = 0; use < 3; use += 1) names.nameFor('select 2');
    expect(names.nameFor('select 2')).not.toBe(first);
    for (let use = 0; use < 5; use += 1) expect(names.nameFor('select 3')).toBeUndefined();
  });
});

describe('compileInsertJsonRows', () => {
  const build = (columns: string[], json: string) => compiler.insertInto('points_transactions').columns(columns as never)
    .expression(sql`select ${sql.join(columns.map((column) => sql.ref(column)))} from json_populate_recordset(null::${sql.table('points_transactions')}, ${json})`).compile();
  const row = (id: string) => ({ merchant_id: 'mch_1', id, kind: 'earn', member_id: 'mem_a', points: 5, reason: null, created_at_ms: 1 });

  it('has one text for any number of rows, the rows as its one parameter', () => {
    const dialect = {};
    const one = compileInsertJsonRows(dialect, 'points_transactions', [row('a')], build) as CompiledQuery;
    const two = compileInsertJsonRows(dialect, 'points_transactions', [row('b'), row('c')], build) as CompiledQuery;
    expect(two.sql).toBe(one.sql);
    expect(JSON.parse(two.parameters[0] as string)).toEqual([row('b'), row('c')]);
  });

  it('declines rows that differ in their columns or leave one undefined (the VALUES form keeps defaults)', () => {
    expect(compileInsertJsonRows({}, 'x', [row('a'), { ...row('b'), extra: 1 }], build)).toBeUndefined();
    expect(compileInsertJsonRows({}, 'x', [{ ...row('a'), reason: undefined }], build)).toBeUndefined();
  });
});

describeEachStore('lists and JSON rows in the store', (env) => {
  it('finds rows by `in` and `not in` lists of any length, and none for an empty one', async () => {
    const { db } = env().store;
    const m = await env().newMerchant();
    const ids = ['mem_l1', 'mem_l2', 'mem_l3'];
    await db.insertInto('members').values(ids.map((id) => ({ merchant_id: m.merchantId, id, created_at_ms: 1, updated_at_ms: 1 }))).execute();
    const found = async (list: string[], operator: 'in' | 'not in') => (await db.selectFrom('members').select('id')
      .where('merchant_id', '=', m.merchantId).where('id', operator, list).orderBy('id').execute()).map((r) => r.id);
    expect(await found(['mem_l3', 'mem_l1', 'mem_none'], 'in')).toEqual(['mem_l1', 'mem_l3']);
    expect(await found(['mem_l2'], 'not in')).toEqual(['mem_l1', 'mem_l3']);
    expect(await found([], 'in')).toEqual([]);
  });
});
