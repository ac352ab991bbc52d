import { Command, Option } from 'commander';
import { readConfig } from './config';
import { disableAllocationSitePretenuring } from './disable-allocation-site-pretenuring';

// Commands are loaded when run, so `--help` and the admin commands start without the HTTP stack.
const admin = () => import('./commands/admin');

const program = new Command()
  .name('sentang')
  .description('Sentang: customer journey and loyalty engine.\nStore: SQLite in DATA_DIR (default ./data), or PostgreSQL when DATABASE_URL is a postgres:// URL.')
  .showHelpAfterError();

program.command('serve').description('Migrate, create the demo merchant on first start, and serve the API on PORT (default 3000)')
  .action(async () => {
    disableAllocationSitePretenuring();
    await (await import('./commands/serve')).serve(readConfig());
  });

program.command('migrate').description('Bring the database schema to the latest version (safe to run twice)')
  .action(async () => (await admin()).migrateCommand(readConfig()));

const merchants = program.command('merchants').description('Manage merchants');
merchants.command('create').description('Create a merchant and print its first secret key')
  .requiredOption('--name <name>', 'display name')
  .option('--slug <slug>', 'short unique name used in public URLs')
  .option('--time-zone <zone>', 'IANA time zone', 'Asia/Bangkok')
  .option('--currency <code>', 'ISO 4217 currency', 'THB')
  .option('--no-with-key', 'do not create a secret key')
  .action(async (options) => (await admin()).createMerchantCommand(readConfig(), options));
merchants.command('list').description('List merchants').action(async () => (await admin()).listMerchantsCommand(readConfig()));

const keys = program.command('keys').description('Manage API keys (stored only as hashes; shown once)');
keys.command('create').description('Create a key')
  .requiredOption('--merchant <id>', 'merchant id')
  .addOption(new Option('--type <type>', 'secret (sk_, whole API) or write (wk_, event ingestion only)').choices(['secret', 'write']).default('secret'))
  .option('--label <label>', 'what the key is for')
  .action(async (options) => (await admin()).createKeyCommand(readConfig(), options));
keys.command('list').description("List a merchant's keys").requiredOption('--merchant <id>', 'merchant id')
  .action(async (options) => (await admin()).listKeysCommand(readConfig(), options));
keys.command('revoke').description('Revoke a key').requiredOption('--merchant <id>', 'merchant id').requiredOption('--key <id>', 'key id (key_…)')
  .action(async (options) => (await admin()).revokeKeyCommand(readConfig(), options));

const staff = program.command('staff').description('Manage staff who sign in to the dashboard and the cashier screen');
staff.command('create').description('Add a staff member (the first owner of a merchant is made here); the password comes from SENTANG_STAFF_PASSWORD, or a random one is printed once')
  .requiredOption('--merchant <id>', 'merchant id')
  .requiredOption('--email <email>', 'sign-in email')
  .option('--name <name>', 'shown in the dashboard', 'Owner')
  .addOption(new Option('--role <role>', 'what they may do').choices(['owner', 'manager', 'cashier']).default('owner'))
  .action(async (options) => (await admin()).createStaffCommand(readConfig(), options));

program.command('demo').description('Fill a merchant (default: the demo merchant) with 90 days of a café chain: members, orders, points, tiers, referrals, share links, reviews, redemptions')
  .option('--merchant <id>', 'merchant id (default: the merchant with slug "demo")')
  .option('--members <n>', 'how many customers', '2000')
  .action(async (options) => (await admin()).demoCommand(readConfig(), options));

const ledger = program.command('ledger').description('Points ledger tools');
ledger.command('check').description('Verify every ledger invariant; exit code 1 with a report when one is broken')
  .option('--merchant <id>', 'check one merchant (default: all)')
  .action(async (options) => (await admin()).ledgerCheckCommand(readConfig(), options));

await program.parseAsync(process.argv);
