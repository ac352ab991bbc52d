/*
** A SQLite VFS that gathers the writes of a WAL commit into a few system calls.
**
** SQLite writes each WAL frame as two pwrite() calls (a 24-byte header, then the page), so a group
** commit of ~130 frames costs ~260 system calls before its fsync. This VFS wraps the default one
** and keeps a WAL file's consecutive writes in memory until something needs them in the file:
**
**   - xSync (a commit with synchronous=FULL syncs the WAL before it is published to readers);
**   - xShmBarrier on any database of the same thread (SQLite calls it while publishing a commit
**     in the wal-index; with synchronous=NORMAL there is no xSync, and this is the last moment
**     before other connections may read the new frames);
**   - any read, truncate, size query, file control or close of that WAL file;
**   - a write that does not continue the buffered run, or a full buffer.
**
** Every other file, and every other method, goes straight to the default VFS. Nothing SQLite
** relies on changes: frames reach the file before the fsync that makes a commit durable and
** before any other connection can see them; unsynced frames were never durable anyway.
**
** Loaded with better-sqlite3's loadExtension() (see wal-write-buffer.ts); registers itself as the
** default VFS once per process, so it applies to connections opened afterwards.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VFS_NAME "sentang-wal-write-buffer"
/* The default VFS writes at most 128 KiB - 1 bytes per call (it masks the length with 0x1ffff),
** so a buffer flushes before it holds more: about 30 frames of 4 KiB pages. */
#define BUFFER_BYTES (31 * 4096)

typedef struct BufferedFile BufferedFile;
struct BufferedFile {
  sqlite3_file base;        /* base.pMethods is &bufferedMethods */
  sqlite3_file *real;       /* the default VFS's file, allocated right after this struct */
  int isWal;
  unsigned char *buffer;    /* pending bytes, written at bufferOffset */
  int bufferBytes;
  sqlite3_int64 bufferOffset;
  sqlite3_int64 writesAsked;   /* xWrite calls SQLite made on this WAL file */
  sqlite3_int64 writesMade;    /* writes passed on to the default VFS */
};

static sqlite3_vfs *rootVfs;
static sqlite3_vfs bufferedVfs;

/* The WAL file with pending bytes on this thread: a connection runs on one thread at a time, and
** a commit writes its frames and publishes them in one call on that thread. */
static _Thread_local BufferedFile *pendingWal;

static int flushBuffer(BufferedFile *file) {
  int rc = SQLITE_OK;
  if (file->bufferBytes > 0) {
    rc = file->real->pMethods->xWrite(file->real, file->buffer, file->bufferBytes, file->bufferOffset);
    file->writesMade++;
    /* Dropped either way: after a failed write SQLite fails the commit, and these frames (beyond
    ** the last published one) are never read. */
    file->bufferBytes = 0;
  }
  if (pendingWal == file) pendingWal = 0;
  return rc;
}

static int bufferedClose(sqlite3_file *f) {
  BufferedFile *file = (BufferedFile *)f;
  int flushRc = flushBuffer(file);
  int rc = file->real->pMethods ? file->real->pMethods->xClose(file->real) : SQLITE_OK;
  sqlite3_free(file->buffer);
  file->buffer = 0;
  return flushRc != SQLITE_OK ? flushRc : rc;
}

static int bufferedRead(sqlite3_file *f, void *data, int bytes, sqlite3_int64 offset) {
  BufferedFile *file = (BufferedFile *)f;
  int rc = flushBuffer(file);
  if (rc != SQLITE_OK) return rc;
  return file->real->pMethods->xRead(file->real, data, bytes, offset);
}

static int bufferedWrite(sqlite3_file *f, const void *data, int bytes, sqlite3_int64 offset) {
  BufferedFile *file = (BufferedFile *)f;
  int rc;
  if (!file->isWal) return file->real->pMethods->xWrite(file->real, data, bytes, offset);
  file->writesAsked++;
  if (file->bufferBytes > 0 && offset == file->bufferOffset + file->bufferBytes && file->bufferBytes + bytes <= BUFFER_BYTES) {
    memcpy(file->buffer + file->bufferBytes, data, (size_t)bytes);
    file->bufferBytes += bytes;
    return SQLITE_OK;
  }
  rc = flushBuffer(file);
  if (rc != SQLITE_OK) return rc;
  if (!file->buffer && bytes <= BUFFER_BYTES / 2) file->buffer = sqlite3_malloc(BUFFER_BYTES);
  if (!file->buffer || bytes > BUFFER_BYTES / 2) {
    file->writesMade++;
    return file->real->pMethods->xWrite(file->real, data, bytes, offset);
  }
  if (pendingWal && pendingWal != file) {
    rc = flushBuffer(pendingWal);
    if (rc != SQLITE_OK) return rc;
  }
  memcpy(file->buffer, data, (size_t)bytes);
  file->bufferBytes = bytes;
  file->bufferOffset = offset;
  pendingWal = file;
  return SQLITE_OK;
}

static int bufferedTruncate(sqlite3_file *f, sqlite3_int64 size) {
  BufferedFile *file = (BufferedFile *)f;
  int rc = flushBuffer(file);
  if (rc != SQLITE_OK) return rc;
  return file->real->pMethods->xTruncate(file->real, size);
}

static int bufferedSync(sqlite3_file *f, int flags) {
  BufferedFile *file = (BufferedFile *)f;
  int rc = flushBuffer(file);
  if (rc != SQLITE_OK) return rc;
  return file->real->pMethods->xSync(file->real, flags);
}

static int bufferedFileSize(sqlite3_file *f, sqlite3_int64 *size) {
  BufferedFile *file = (BufferedFile *)f;
  int rc = flushBuffer(file);
  if (rc != SQLITE_OK) return rc;
  return file->real->pMethods->xFileSize(file->real, size);
}

static int bufferedLock(sqlite3_file *f, int level) {
  BufferedFile *file = (BufferedFile *)f;
  return file->real->pMethods->xLock(file->real, level);
}

static int bufferedUnlock(sqlite3_file *f, int level) {
  BufferedFile *file = (BufferedFile *)f;
  return file->real->pMethods->xUnlock(file->real, level);
}

static int bufferedCheckReservedLock(sqlite3_file *f, int *reserved) {
  BufferedFile *file = (BufferedFile *)f;
  return file->real->pMethods->xCheckReservedLock(file->real, reserved);
}

static int bufferedFileControl(sqlite3_file *f, int op, void *arg) {
  BufferedFile *file = (BufferedFile *)f;
  int rc;
  if (op == SQLITE_FCNTL_VFSNAME) {
    int innerRc = file->real->pMethods->xFileControl(file->real, op, arg);
    if (innerRc == SQLITE_OK && *(char **)arg) {
      char *inner = *(char **)arg;
      *(char **)arg = sqlite3_mprintf("%s/%s", VFS_NAME, inner);
      sqlite3_free(inner);
    } else {
      *(char **)arg = sqlite3_mprintf("%s", VFS_NAME);
    }
    return SQLITE_OK;
  }
  rc = flushBuffer(file);
  if (rc != SQLITE_OK) return rc;
  return file->real->pMethods->xFileControl(file->real, op, arg);
}

static int bufferedSectorSize(sqlite3_file *f) {
  BufferedFile *file = (BufferedFile *)f;
  return file->real->pMethods->xSectorSize(file->real);
}

static int bufferedDeviceCharacteristics(sqlite3_file *f) {
  BufferedFile *file = (BufferedFile *)f;
  return file->real->pMethods->xDeviceCharacteristics(file->real);
}

static int bufferedShmMap(sqlite3_file *f, int region, int regionBytes, int extend, void volatile **mapped) {
  BufferedFile *file = (BufferedFile *)f;
  return file->real->pMethods->xShmMap(file->real, region, regionBytes, extend, mapped);
}

static int bufferedShmLock(sqlite3_file *f, int offset, int count, int flags) {
  BufferedFile *file = (BufferedFile *)f;
  return file->real->pMethods->xShmLock(file->real, offset, count, flags);
}

static void bufferedShmBarrier(sqlite3_file *f) {
  BufferedFile *file = (BufferedFile *)f;
  /* A commit without xSync (synchronous=NORMAL) is about to become visible: its frames must be in
  ** the file first. This method cannot report an error, and readers would take unwritten frames
  ** for committed ones, so a failure here stops the process; recovery then ignores those frames. */
  if (pendingWal && flushBuffer(pendingWal) != SQLITE_OK) {
    fprintf(stderr, "%s: could not write WAL frames before publishing a commit; stopping\n", VFS_NAME);
    abort();
  }
  file->real->pMethods->xShmBarrier(file->real);
}

static int bufferedShmUnmap(sqlite3_file *f, int deleteFlag) {
  BufferedFile *file = (BufferedFile *)f;
  return file->real->pMethods->xShmUnmap(file->real, deleteFlag);
}

static int bufferedFetch(sqlite3_file *f, sqlite3_int64 offset, int bytes, void **pointer) {
  BufferedFile *file = (BufferedFile *)f;
  return file->real->pMethods->xFetch(file->real, offset, bytes, pointer);
}

static int bufferedUnfetch(sqlite3_file *f, sqlite3_int64 offset, void *pointer) {
  BufferedFile *file = (BufferedFile *)f;
  return file->real->pMethods->xUnfetch(file->real, offset, pointer);
}

static const sqlite3_io_methods bufferedMethods = {
  3,
  bufferedClose, bufferedRead, bufferedWrite, bufferedTruncate, bufferedSync, bufferedFileSize,
  bufferedLock, bufferedUnlock, bufferedCheckReservedLock, bufferedFileControl,
  bufferedSectorSize, bufferedDeviceCharacteristics,
  bufferedShmMap, bufferedShmLock, bufferedShmBarrier, bufferedShmUnmap,
  bufferedFetch, bufferedUnfetch,
};

static int bufferedOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *outFlags) {
  BufferedFile *file = (BufferedFile *)f;
  int rc;
  (void)vfs;
  memset(file, 0, sizeof(*file));
  file->real = (sqlite3_file *)&file[1];
  rc = rootVfs->xOpen(rootVfs, name, file->real, flags, outFlags);
  if (rc != SQLITE_OK || !file->real->pMethods) {
    file->base.pMethods = 0;
    return rc;
  }
  /* The default VFS speaks version 3 of sqlite3_io_methods; anything less lacks the methods forwarded here. */
  if (file->real->pMethods->iVersion < 3) {
    file->real->pMethods->xClose(file->real);
    file->base.pMethods = 0;
    return SQLITE_CANTOPEN;
  }
  file->isWal = (flags & SQLITE_OPEN_WAL) != 0;
  file->base.pMethods = &bufferedMethods;
  return SQLITE_OK;
}

static int forwardDelete(sqlite3_vfs *vfs, const char *name, int syncDir) { (void)vfs; return rootVfs->xDelete(rootVfs, name, syncDir); }
static int forwardAccess(sqlite3_vfs *vfs, const char *name, int flags, int *result) { (void)vfs; return rootVfs->xAccess(rootVfs, name, flags, result); }
static int forwardFullPathname(sqlite3_vfs *vfs, const char *name, int size, char *out) { (void)vfs; return rootVfs->xFullPathname(rootVfs, name, size, out); }
static void *forwardDlOpen(sqlite3_vfs *vfs, const char *path) { (void)vfs; return rootVfs->xDlOpen(rootVfs, path); }
static void forwardDlError(sqlite3_vfs *vfs, int bytes, char *message) { (void)vfs; rootVfs->xDlError(rootVfs, bytes, message); }
static void (*forwardDlSym(sqlite3_vfs *vfs, void *handle, const char *symbol))(void) { (void)vfs; return rootVfs->xDlSym(rootVfs, handle, symbol); }
static void forwardDlClose(sqlite3_vfs *vfs, void *handle) { (void)vfs; rootVfs->xDlClose(rootVfs, handle); }
static int forwardRandomness(sqlite3_vfs *vfs, int bytes, char *out) { (void)vfs; return rootVfs->xRandomness(rootVfs, bytes, out); }
static int forwardSleep(sqlite3_vfs *vfs, int microseconds) { (void)vfs; return rootVfs->xSleep(rootVfs, microseconds); }
static int forwardCurrentTime(sqlite3_vfs *vfs, double *now) { (void)vfs; return rootVfs->xCurrentTime(rootVfs, now); }
static int forwardGetLastError(sqlite3_vfs *vfs, int bytes, char *message) { (void)vfs; return rootVfs->xGetLastError(rootVfs, bytes, message); }
static int forwardCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *now) { (void)vfs; return rootVfs->xCurrentTimeInt64(rootVfs, now); }
static int forwardSetSystemCall(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr call) { (void)vfs; return rootVfs->xSetSystemCall(rootVfs, name, call); }
static sqlite3_syscall_ptr forwardGetSystemCall(sqlite3_vfs *vfs, const char *name) { (void)vfs; return rootVfs->xGetSystemCall(rootVfs, name); }
static const char *forwardNextSystemCall(sqlite3_vfs *vfs, const char *name) { (void)vfs; return rootVfs->xNextSystemCall(rootVfs, name); }

/*
** SQL function sentang_wal_write_buffer(): how this connection's database file is opened, as JSON
** {"vfs": …, "walWritesAsked": …, "walWritesMade": …}, so that tests and operators can see that the
** buffer is in use and what it saves. Registered on every connection opened after loading.
*/
static void statsFunction(sqlite3_context *context, int argc, sqlite3_value **argv) {
  sqlite3 *db = sqlite3_context_db_handle(context);
  char *vfsName = 0;
  sqlite3_file *wal = 0;
  sqlite3_int64 asked = 0, made = 0;
  char *json;
  (void)argc; (void)argv;
  sqlite3_file_control(db, "main", SQLITE_FCNTL_VFSNAME, &vfsName);
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) == SQLITE_OK && wal && wal->pMethods == &bufferedMethods) {
    asked = ((BufferedFile *)wal)->writesAsked;
    made = ((BufferedFile *)wal)->writesMade;
  }
  json = sqlite3_mprintf("{\"vfs\":\"%s\",\"walWritesAsked\":%lld,\"walWritesMade\":%lld}", vfsName ? vfsName : "", asked, made);
  sqlite3_free(vfsName);
  if (!json) {
    sqlite3_result_error_nomem(context);
    return;
  }
  sqlite3_result_text(context, json, -1, sqlite3_free);
}

static int registerStatsFunction(sqlite3 *db, char **errorMessage, const sqlite3_api_routines *api) {
  (void)errorMessage; (void)api;
  return sqlite3_create_function(db, "sentang_wal_write_buffer", 0, SQLITE_UTF8, 0, statsFunction, 0, 0);
}

static int registerVfs(char **errorMessage);

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_walwritebuffer_init(sqlite3 *db, char **errorMessage, const sqlite3_api_routines *api) {
  sqlite3_mutex *mutex;
  int rc = SQLITE_OK;
  SQLITE_EXTENSION_INIT2(api);
  (void)db;
  /* Each thread that opens a database loads this; the first registers the VFS. */
  mutex = sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_APP1);
  sqlite3_mutex_enter(mutex);
  if (!sqlite3_vfs_find(VFS_NAME)) rc = registerVfs(errorMessage);
  sqlite3_mutex_leave(mutex);
  return rc == SQLITE_OK ? SQLITE_OK_LOAD_PERMANENTLY : rc;
}

static int registerVfs(char **errorMessage) {
  rootVfs = sqlite3_vfs_find(0);
  if (!rootVfs || rootVfs->iVersion < 3) {
    *errorMessage = sqlite3_mprintf("%s needs a default VFS of version 3", VFS_NAME);
    return SQLITE_ERROR;
  }
  bufferedVfs.iVersion = 3;
  bufferedVfs.szOsFile = (int)sizeof(BufferedFile) + rootVfs->szOsFile;
  bufferedVfs.mxPathname = rootVfs->mxPathname;
  bufferedVfs.zName = VFS_NAME;
  bufferedVfs.xOpen = bufferedOpen;
  bufferedVfs.xDelete = forwardDelete;
  bufferedVfs.xAccess = forwardAccess;
  bufferedVfs.xFullPathname = forwardFullPathname;
  bufferedVfs.xDlOpen = forwardDlOpen;
  bufferedVfs.xDlError = forwardDlError;
  bufferedVfs.xDlSym = forwardDlSym;
  bufferedVfs.xDlClose = forwardDlClose;
  bufferedVfs.xRandomness = forwardRandomness;
  bufferedVfs.xSleep = forwardSleep;
  bufferedVfs.xCurrentTime = forwardCurrentTime;
  bufferedVfs.xGetLastError = forwardGetLastError;
  bufferedVfs.xCurrentTimeInt64 = forwardCurrentTimeInt64;
  bufferedVfs.xSetSystemCall = forwardSetSystemCall;
  bufferedVfs.xGetSystemCall = forwardGetSystemCall;
  bufferedVfs.xNextSystemCall = forwardNextSystemCall;
  {
    int rc = sqlite3_vfs_register(&bufferedVfs, 1);
    if (rc != SQLITE_OK) return rc;
  }
  return sqlite3_auto_extension((void (*)(void))registerStatsFunction);
}
