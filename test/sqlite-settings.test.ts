// The settings an acknowledged SQLite write depends on (durability, waiting for another writer)
// and the ones the benchmarks were measured with: a change to any of them must be deliberate.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteFile } from '../src/store/sqlite-driver';

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
