import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@backup-assurance/plugin-backup-backend',
  'migrations',
);

const migrated = new WeakMap<DatabaseService, Promise<Knex>>();

async function migrate(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}

/**
 * The plugin's database client, migrated to the latest schema unless
 * skipped. Every store asks for it; the migrations run once per database.
 */
export function migratedClient(database: DatabaseService): Promise<Knex> {
  let client = migrated.get(database);
  if (!client) {
    client = migrate(database);
    migrated.set(database, client);
  }
  return client;
}
