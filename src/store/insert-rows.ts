// Multi-row INSERTs of the ledger's group commits, their SQL built once per shape. Kysely builds
// and compiles a statement afresh on every call: for a batch's three inserts of 20–40 rows each
// about 140 µs, spent on the one thread every SQLite commit waits for. The text depends only on
// the dialect, the statement's shape (table and conflict clause), the columns and the number of
// rows, so it is compiled the first time and afterwards only the values are laid out in order.
import { CompiledQuery } from 'kysely';

/** Kept per dialect object: SQLite writes `?`, PostgreSQL `$1`, for the same statement. */
const sqlByDialect = new WeakMap<object, Map<string, string>>();
/** Distinct shapes are few (a statement per table, a text per row count up to a batch's size); a bound anyway. */
const maxShapesPerDialect = 4096;

function textsOf(dialect: object): Map<string, string> {
  let texts = sqlByDialect.get(dialect);
  if (!texts) {
    texts = new Map();
    sqlByDialect.set(dialect, texts);
  }
  return texts;
}

function keepText(dialect: object, key: string, text: string): void {
  const texts = textsOf(dialect);
  if (texts.size >= maxShapesPerDialect) texts.clear();
  texts.set(key, text);
}

/**
 * Compiles `compile(rows)` the first time a shape is seen and reuses its SQL text afterwards.
 * `shape` names everything about the statement other than its columns and row count (table,
 * conflict clause). Rows must share their columns; a row that differs, or a value that is
 * `undefined` (Kysely writes those as DEFAULT), goes through `compile` every time.
 */
export function compileInsertRows<Row extends object>(dialect: object, shape: string, rows: readonly Row[], compile: (rows: Row[]) => CompiledQuery): CompiledQuery {
  const first = rows[0];
  if (!first) throw new Error('compileInsertRows needs at least one row');
  const columns = Object.keys(first);
  const parameters: unknown[] = [];
  for (const row of rows) {
    const values = row as Record<string, unknown>;
    if (Object.keys(values).length !== columns.length) return compile([...rows]);
    for (const column of columns) {
      const value = values[column];
      if (value === undefined) return compile([...rows]);
      parameters.push(value);
    }
  }
  const key = `${shape}\n${columns.join(',')}\n${rows.length}`;
  const cachedSql = textsOf(dialect).get(key);
  if (cachedSql !== undefined) return CompiledQuery.raw(cachedSql, parameters);
  const compiled = compile([...rows]);
  // Only a text whose parameters are exactly the values in row-then-column order can be reused.
  if (compiled.parameters.length === parameters.length && compiled.parameters.every((value, index) => Object.is(value, parameters[index]))) {
    keepText(dialect, key, compiled.sql);
  }
  return compiled;
}

/**
 * The JSON form of a multi-row insert (dialects with `insertsRowsAsJson`): every row goes in one
 * JSON parameter that the statement expands into rows of the table, so its text does not depend on
 * how many rows there are. `compile(columns, json)` builds it; its text is kept per shape and
 * columns, and afterwards only the JSON is made. Undefined when the rows do not share their
 * columns or have an `undefined` value (JSON would drop it, and the column would be NULL instead
 * of its default): those need the VALUES form.
 */
export function compileInsertJsonRows<Row extends object>(dialect: object, shape: string, rows: readonly Row[], compile: (columns: string[], json: string) => CompiledQuery): CompiledQuery | undefined {
  const first = rows[0];
  if (!first) throw new Error('compileInsertJsonRows needs at least one row');
  const columns = Object.keys(first);
  const alike = rows.every((row) => {
    const values = row as Record<string, unknown>;
    return Object.keys(values).length === columns.length && columns.every((column) => values[column] !== undefined);
  });
  if (!alike) return undefined;
  const json = JSON.stringify(rows);
  // No row count in the key: the same text takes any number of rows.
  const key = `${shape}\n${columns.join(',')}\njson`;
  const cachedSql = textsOf(dialect).get(key);
  if (cachedSql !== undefined) return CompiledQuery.raw(cachedSql, [json]);
  const compiled = compile(columns, json);
  if (compiled.parameters.length === 1 && compiled.parameters[0] === json) keepText(dialect, key, compiled.sql);
  return compiled;
}
