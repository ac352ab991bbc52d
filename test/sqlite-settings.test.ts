// The settings an acknowledged SQLite write depends on (durability, waiting for another writer)
// and the ones the benchmarks were measured with: a change to any of them must be deliberate.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Kysely, sql } from 'kysely';
import { ImmediateSqliteDialect, openSqliteFile } from '../src/store/sqlite-driver';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentang-sqlite-settings-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('openSqliteFile', () => {
  it('opens the file in WAL mode with full fsync, a busy timeout and statement journals in memory', () => {
    const database = openSqliteFile(path.join(dir, 'settings.db'));
    try {
      expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(database.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(database.pragma('busy_timeout', { simple: true })).toBe(10_000);
      expect(database.pragma('temp_store', { simple: true })).toBe(2); // MEMORY
      expect(database.pragma('cache_size', { simple: true })).toBe(-32_768);
      expect(database.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    } finally {
      database.close();
    }
  });

  it('leaves checkpoints to the checkpointer thread when asked, checkpointing itself only as a safety net', () => {
    const database = openSqliteFile(path.join(dir, 'background.db'), { backgroundCheckpoints: true });
    try {
      expect(database.pragma('wal_autocheckpoint', { simple: true })).toBe(100_000);
      expect(database.pragma('synchronous', { simple: true })).toBe(2); // FULL all the same
    } finally {
      database.close();
    }
  });

  it('hands out one prepared statement per SQL text', () => {
    const database = openSqliteFile(path.join(dir, 'statements.db'));
    try {
      expect(database.prepare('select 1 as one')).toBe(database.prepare('select 1 as one'));
      expect(database.prepare('select 1 as one')).not.toBe(database.prepare('select 2 as two'));
    } finally {
      database.close();
    }
  });
});

describe('the SQLite connection Kysely runs on', () => {
  it('binds each parameter as itself: numbers, texts, null and blobs go through, an array or object is refused, many go as one array', async () => {
    const db = new Kysely<{ t: { a: number | null; b: string | null; c: Uint8Array | null } }>({
      dialect: new ImmediateSqliteDialect({ database: openSqliteFile(path.join(dir, 'parameters.db')) }),
    });
    try {
      await sql`create table t (a integer, b text, c blob)`.execute(db);
      await db.insertInto('t').values({ a: 7, b: 'seven', c: Buffer.from([1, 2]) }).execute();
      await db.insertInto('t').values({ a: null, b: null, c: null }).execute();
      expect(await db.selectFrom('t').selectAll().where('a', '=', 7).execute()).toEqual([{ a: 7, b: 'seven', c: Buffer.from([1, 2]) }]);
      // Passed as arguments, an array would become two parameters and an object named ones.
      await expect(sql`select ${[1, 2] as unknown as number} as x`.execute(db)).rejects.toThrow(/can only bind/);
      await expect(sql`select ${{ x: 1 } as unknown as number} as x`.execute(db)).rejects.toThrow(/can only bind/);
      const many = Array.from({ length: 5000 }, (_, index) => index);
      const counted = await db.selectFrom('t').select((eb) => eb.fn.countAll<number>().as('n')).where('a', 'in', [7, ...many]).executeTakeFirstOrThrow();
      expect(counted.n).toBe(1);
    } finally {
      await db.destroy();
    }
  });
});
