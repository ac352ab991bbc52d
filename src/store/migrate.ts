import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import * as foundation from './migrations/0001-foundation';
import * as events from './migrations/0002-events';
import * as people from './migrations/0003-people';
import * as journey from './migrations/0004-journey';
import * as earningRules from './migrations/0005-earning-rules';
import * as tiers from './migrations/0006-tiers';
import * as analytics from './migrations/0007-analytics';
import * as rewards from './migrations/0008-rewards';
import * as referrals from './migrations/0009-referrals';
import * as shareLinks from './migrations/0010-share-links';
import * as ugc from './migrations/0011-ugc';
import * as staff from './migrations/0012-staff';
import * as memberPortal from './migrations/0013-member-portal';
import * as lineLogin from './migrations/0014-line-login';
import * as dropUnusedEventIndexes from './migrations/0015-drop-unused-event-indexes';
import * as dropEventsByPersonName from './migrations/0016-drop-events-by-person-name';
import * as expiringLotsOnly from './migrations/0017-expiring-lots-only';
import * as lotOpenMark from './migrations/0018-lot-open-mark';
import * as memberLedgerVersion from './migrations/0019-member-ledger-version';
import * as dropTransfersIndex from './migrations/0020-drop-transfers-index';

// Migrations are listed here, not read from disk, so they work the same under tsx, vitest and a bundle.
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-events': events,
  '0003-people': people,
  '0004-journey': journey,
  '0005-earning-rules': earningRules,
  '0006-tiers': tiers,
  '0007-analytics': analytics,
  '0008-rewards': rewards,
  '0009-referrals': referrals,
  '0010-share-links': shareLinks,
  '0011-ugc': ugc,
  '0012-staff': staff,
  '0013-member-portal': memberPortal,
  '0014-line-login': lineLogin,
  '0015-drop-unused-event-indexes': dropUnusedEventIndexes,
  '0016-drop-events-by-person-name': dropEventsByPersonName,
  '0017-expiring-lots-only': expiringLotsOnly,
  '0018-lot-open-mark': lotOpenMark,
  '0019-member-ledger-version': memberLedgerVersion,
  '0020-drop-transfers-index': dropTransfersIndex,
};

/**
 * Brings the schema to the latest version. Safe to run twice or from two processes at once:
 * Kysely's migrator holds an advisory lock on PostgreSQL, and on SQLite the migration runs in one
 * transaction that starts with BEGIN IMMEDIATE (sqlite-driver.ts), so a second process waits and
 * then finds nothing left to do.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const result = await migratorOf(db).migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** Brings the schema up or down to the named migration (tests of a migration's data). */
export async function migrateTo(db: Kysely<any>, migrationName: string): Promise<MigrationResultSet> {
  if (!(migrationName in migrations)) throw new Error(`No migration named ${migrationName}`);
  const result = await migratorOf(db).migrateTo(migrationName);
  if (result.error) throw result.error;
  return result;
}

function migratorOf(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}
