// What the schema holds on either store, for tests of migrations.
import { sql } from 'kysely';
import type { Store } from '../../src/store/open-store';

/** The indexes of `table` that a migration made (not those SQLite makes for a key by itself), by name: their definitions. */
export async function indexDefinitions(store: Store, table: string): Promise<Map<string, string>> {
  const rows = store.dialect.name === 'postgres'
    ? (await sql<{ name: string; definition: string }>`select indexname as name, indexdef as definition from pg_indexes where tablename = ${table}`.execute(store.db)).rows
    : (await sql<{ name: string; definition: string }>`select name, sql as definition from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(store.db)).rows;
  return new Map(rows.map((row) => [row.name, row.definition]));
}

/** The columns of `table`. */
export async function columnNames(store: Store, table: string): Promise<string[]> {
  const rows = store.dialect.name === 'postgres'
    ? (await sql<{ name: string }>`select column_name as name from information_schema.columns where table_name = ${table}`.execute(store.db)).rows
    : (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(store.db)).rows;
  return rows.map((row) => row.name);
}
