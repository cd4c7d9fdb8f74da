import { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { listConnectors, validateDefinitionFile } from './connectors.js';
import { doctor } from './doctor.js';
import { rotate } from './keys.js';
import { runMigrations } from './migrate.js';
import { start } from './start.js';
import { syncCommand } from './sync.js';
import { version } from './version.js';

/**
 * The `tributary` command line. Each command reads the configuration once, here; a bad value
 * stops with one line naming the variable.
 */
function configured<Args extends unknown[]>(action: (config: Config, logger: Logger, ...args: Args) => Promise<void | number>) {
  return async (...args: Args) => {
    let config: Config;
    try {
      config = loadConfig(process.env);
    } catch (error) {
      if (error instanceof ConfigError) {
        console.error(`tributary: configuration error: ${error.message}`);
        process.exit(2);
      }
      throw error;
    }
    const logger = createLogger({ level: config.logLevel });
    try {
      const code = await action(config, logger, ...args);
      if (typeof code === 'number') process.exitCode = code;
    } catch (error) {
      // A setting that does not fit what was asked (`--role` on the embedded store) is a configuration error too.
      if (error instanceof ConfigError) {
        console.error(`tributary: configuration error: ${error.message}`);
        process.exit(2);
      }
      const message = error instanceof Error ? error.message : String(error);
      logger.fatal({ err: error }, 'command failed');
      console.error(`tributary: ${message}`);
      process.exit(1);
    }
  };
}

const program = new Command()
  .name('tributary')
  .description('Tributary: a self-hostable, multi-tenant integrations hub.')
  .version(version)
  .showHelpAfterError();

program
  .command('start')
  .description('Start the hub: applies migrations, creates the key file if absent, serves the API on PORT, and runs the scheduler and a sync worker.')
  .option('--role <roles>', 'run only some parts: api, worker, scheduler (comma-separated), or all', 'all')
  .action(configured((config, logger, options: { role: string }) => start(config, logger, options)));

program
  .command('sync <connection>')
  .description('Sync a connection (its name or id) on a running hub, with a progress bar; needs TRIBUTARY_API_KEY.')
  .option('--url <url>', 'the hub (TRIBUTARY_URL, else http://localhost:$PORT)')
  .action(async (connection: string, options: { url?: string }) => {
    const url = options.url ?? process.env.TRIBUTARY_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
    process.exitCode = await syncCommand(connection, { url, apiKey: process.env.TRIBUTARY_API_KEY });
  });

program.command('migrate').description('Apply pending migrations to the metadata store and exit.').action(configured(runMigrations));

const keys = program.command('keys').description('Manage the encryption keys of the credential vault.');
keys
  .command('rotate')
  .description('Add a new primary key (key file) and re-encrypt every stored secret under the primary key.')
  .action(configured(rotate));

const connectors = program
  .command('connectors')
  .description('List the built-in connectors, or validate a custom definition.')
  .action(() => listConnectors());
connectors
  .command('validate <file>')
  .description('Check a custom connector definition (JSON) and print each error with its path.')
  .action(async (file: string) => {
    process.exitCode = await validateDefinitionFile(file);
  });

program
  .command('doctor')
  .description('Print the configuration, storage engines and key status, and what is wrong, if anything.')
  .action(configured(doctor));

await program.parseAsync(process.argv);
