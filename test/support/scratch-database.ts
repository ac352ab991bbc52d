// Throw-away databases for tests and benchmarks: a temp directory for SQLite, a new database on
// the PostgreSQL server of `baseUrl` (created and dropped here).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  databaseUrl?: string;
  dataDir?: string;
  drop(): Promise<void>;
}

export function scratchSqlite(): ScratchDatabase {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentang-'));
  return { dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

export async function scratchPostgres(baseUrl: string, prefix = 'sentang_scratch'): Promise<ScratchDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { databaseUrl: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}
