#!/usr/bin/env node
// Compiles the SQLite WAL write buffer (src/store/native/wal-write-buffer.c) into
// dist/native/, against the SQLite headers better-sqlite3 ships. Runs after `npm ci`/`npm install`
// (postinstall) and again whenever the source is newer than the library.
//
// Without a C compiler Sentang still runs, with SQLite writing each WAL frame in two system calls
// (slower commits, same data); this prints why and exits 0, so an install never fails over it.
// CI fails instead through test/wal-write-buffer.test.ts, which needs the library under CI=true.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'src/store/native/wal-write-buffer.c');
const extension = process.platform === 'darwin' ? 'dylib' : process.platform === 'win32' ? 'dll' : 'so';
const output = path.join(root, 'dist/native', `wal-write-buffer.${extension}`);

function fail(reason) {
  console.warn(`sentang: the SQLite WAL write buffer was not built (${reason}); SQLite commits will make more system calls`);
  process.exit(0);
}

if (process.platform === 'win32') fail('building it on Windows is not supported');
let headers;
try {
  headers = path.join(path.dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'deps/sqlite3');
} catch {
  fail('better-sqlite3 is not installed');
}
if (!fs.existsSync(path.join(headers, 'sqlite3ext.h'))) fail(`no sqlite3ext.h in ${headers}`);
if (fs.existsSync(output) && fs.statSync(output).mtimeMs >= fs.statSync(source).mtimeMs) process.exit(0);

fs.mkdirSync(path.dirname(output), { recursive: true });
const compiler = process.env.CC || 'cc';
const flags = ['-O2', '-Wall', '-fPIC', process.platform === 'darwin' ? '-dynamiclib' : '-shared', '-I', headers, '-o', output, source];
try {
  execFileSync(compiler, flags, { stdio: ['ignore', 'inherit', 'inherit'] });
} catch (error) {
  fail(`${compiler} failed: ${error.message.split('\n')[0]}`);
}
