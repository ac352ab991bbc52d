// The WAL write buffer (native/wal-write-buffer.c): a SQLite VFS that writes a commit's WAL frames
// in a few system calls instead of two per frame. SQLite's own format, locking and fsyncs are
// unchanged; only how the frames reach the file differs. It is built by scripts/build-native.mjs at
// install time and loaded by every thread before it opens a database.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';

const extension = process.platform === 'darwin' ? 'dylib' : 'so';
export const walWriteBufferPath = fileURLToPath(new URL(`../../dist/native/wal-write-buffer.${extension}`, import.meta.url));

export type WalWriteBufferState =
  | { loaded: true }
  | { loaded: false; reason: string };

let state: WalWriteBufferState | undefined;

/**
 * Registers the WAL write buffer as SQLite's default VFS, once per thread (the registration itself
 * is once per process). `SQLITE_WAL_WRITE_BUFFER=0` turns it off. When the library was not built
 * (no C compiler at install time) SQLite goes on as it is, and the reason is returned.
 */
export function loadWalWriteBuffer(): WalWriteBufferState {
  if (state) return state;
  if (process.env.SQLITE_WAL_WRITE_BUFFER === '0') return (state = { loaded: false, reason: 'turned off by SQLITE_WAL_WRITE_BUFFER=0' });
  if (!fs.existsSync(walWriteBufferPath)) {
    return (state = { loaded: false, reason: `${walWriteBufferPath} was not built (run: node scripts/build-native.mjs)` });
  }
  const loader = new SqliteDatabase(':memory:');
  try {
    // SQLite finds the entry point, sqlite3_walwritebuffer_init, from the file's name.
    loader.loadExtension(walWriteBufferPath);
    state = { loaded: true };
  } catch (error) {
    state = { loaded: false, reason: `loading ${walWriteBufferPath} failed: ${(error as Error).message}` };
  } finally {
    loader.close();
  }
  return state;
}
