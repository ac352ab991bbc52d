// The WAL checkpointer thread (store/wal-checkpointer-thread.ts): while commits go on, what they
// wrote reaches the database file itself, and the WAL starts over instead of growing.
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/open-store';
import { startWalCheckpointer, type WalCheckpointer } from '../src/store/start-wal-checkpointer';
import { scratchSqlite, type ScratchDatabase } from './support/scratch-database';

const logger = pino({ level: 'silent' });
const framesOf = (walBytes: number) => Math.floor(walBytes / (4096 + 24));

/** The members the database file alone holds, without its WAL: what a checkpoint has copied. */
function membersInDatabaseFile(dataDir: string): number {
  const copy = path.join(dataDir, 'copy.db');
  fs.copyFileSync(path.join(dataDir, 'sentang.db'), copy);
  const database = new SqliteDatabase(copy, { readonly: true });
  try {
    return (database.prepare('select count(*) as n from members').get() as { n: number }).n;
  } finally {
    database.close();
    fs.rmSync(copy);
  }
}

/** Commits `count` small transactions, one after another, as a ledger writer would. */
async function commitMany(store: Store, count: number, firstIndex: number): Promise<void> {
  for (let index = firstIndex; index < firstIndex + count; index += 1) {
    await store.db.transaction().execute(async (trx) => {
      await trx.insertInto('members').values({ merchant_id: 'mer_wal', id: `mem_${String(index).padStart(6, '0')}`, name: 'x'.repeat(400), created_at_ms: index, updated_at_ms: index }).execute();
    });
  }
}

describe('WAL checkpointer thread', () => {
  let database: ScratchDatabase | undefined;
  let store: Store | undefined;
  let checkpointer: WalCheckpointer | undefined;
  afterEach(async () => {
    await checkpointer?.stop();
    await store?.close();
    await database?.drop();
    checkpointer = undefined;
  });

  it('copies every commit into the database file and keeps the WAL from growing, while commits go on', async () => {
    database = scratchSqlite();
    const dataDir = database.dataDir as string;
    store = await openStore({ dataDir, backgroundCheckpoints: true });
    checkpointer = await startWalCheckpointer(store, 20, logger);
    const walFrames = () => framesOf(fs.statSync(path.join(dataDir, 'sentang.db-wal')).size);

    // Without a checkpoint every commit would add its frames to the WAL (the commits' own mark is
    // 100,000 pages, as in the control below); here it keeps being copied out and started over, so
    // the file (never shrunk, only reused from its start) stops growing.
    await commitMany(store, 100, 0);
    const framesAfterFirstRound = walFrames();
    for (let round = 1; round < 10; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      await commitMany(store, 100, round * 100);
    }
    // 900 more commits of at least two pages each, against a few hundred frames of growth at most.
    expect(walFrames() - framesAfterFirstRound).toBeLessThan(500);

    // Within a few of its rounds, the database file alone holds every committed row.
    let copied = 0;
    for (let attempt = 0; attempt < 100 && copied < 1000; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      copied = membersInDatabaseFile(dataDir);
    }
    expect(copied).toBe(1000);
  });

  it('leaves the WAL to grow when it is not running (the control for the test above)', async () => {
    database = scratchSqlite();
    const dataDir = database.dataDir as string;
    store = await openStore({ dataDir, backgroundCheckpoints: true });
    const framesBefore = framesOf(fs.statSync(path.join(dataDir, 'sentang.db-wal')).size);
    await commitMany(store, 900, 0);
    expect(framesOf(fs.statSync(path.join(dataDir, 'sentang.db-wal')).size) - framesBefore).toBeGreaterThanOrEqual(1800);
    // Not even the tables the migrations made have reached the database file.
    expect(() => membersInDatabaseFile(dataDir)).toThrow(/no such table/);
  });

  it('leaves no file of the database open once it and the store are closed (its own fsyncs open one)', async () => {
    database = scratchSqlite();
    const dataDir = database.dataDir as string;
    store = await openStore({ dataDir, backgroundCheckpoints: true });
    // Threads share the process's file descriptors: count those open on this database's files.
    const openOnDatabase = () => fs.readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(path.join(dataDir, 'sentang.db'));
      } catch {
        return false; // closed while listing
      }
    }).length;
    const openedByStore = openOnDatabase();
    checkpointer = await startWalCheckpointer(store, 20, logger);
    await commitMany(store, 50, 0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(openOnDatabase()).toBeGreaterThan(openedByStore);
    await checkpointer.stop();
    checkpointer = undefined;
    // SQLite keeps a closed connection's descriptor of a file that another connection of the
    // process still locks (closing it would drop that one's POSIX locks), until that one closes too.
    await store.close();
    store = undefined;
    expect(openOnDatabase()).toBe(0);
    expect(membersInDatabaseFile(dataDir)).toBe(50);
  });

  it('refuses a store that was not opened for it', async () => {
    database = scratchSqlite();
    store = await openStore({ dataDir: database.dataDir });
    await expect(startWalCheckpointer(store, 20, logger)).rejects.toThrow(/backgroundCheckpoints/);
  });
});
