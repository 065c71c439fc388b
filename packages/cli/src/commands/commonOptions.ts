import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { Command, InvalidArgumentError, Option } from 'commander';
import { BackupAssuranceClient } from '../backend/BackupAssuranceClient';
import { ConfigurationError } from '../errors';
import { Output } from '../output';
import { createToolDriver, TOOL_NAMES, ToolName, ToolOptions } from '../tools';

/** Options every command takes, the tool's among them. */
export interface CommonOptions extends ToolOptions {
  tool: ToolName;
  entity: string;
  backend?: string;
  dryRun?: boolean;
  json?: boolean;
  retries: number;
}

/** For a repeatable option: each value added to the list. */
export const collect = (value: string, previous: string[]) => [
  ...previous,
  value,
];

export function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new InvalidArgumentError('expected a whole number from 0');
  }
  return count;
}

/** Adds the backend, entity and tool options shared by every command. */
export function withCommonOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--tool <tool>', 'the backup tool')
        .choices(TOOL_NAMES)
        .makeOptionMandatory(),
    )
    .requiredOption(
      '--entity <ref>',
      'catalog entity the evidence belongs to, e.g. resource:default/payments-db',
    )
    .option(
      '--backend <url>',
      'Backstage backend base URL (default: $BACKUP_ASSURANCE_URL); the token is read from $BACKUP_ASSURANCE_TOKEN only',
    )
    .option('--dry-run', 'print the record(s) instead of posting them')
    .option('--json', 'print the outcome as JSON')
    .option(
      '--retries <count>',
      'retries after a dropped connection or a 502/503/504',
      parseCount,
      2,
    )
    .option(
      '--repo <repository>',
      'restic, borg: repository (default: $RESTIC_REPOSITORY, $BORG_REPO)',
    )
    .option(
      '--host <host>',
      'restic, borg: only snapshots (archives) of this host',
    )
    .option('--tag <tag>', 'restic: only snapshots with this tag')
    .option(
      '--stanza <stanza>',
      'pgBackRest: stanza (default: $PGBACKREST_STANZA)',
    )
    .option(
      '--pg-config <file>',
      "pgBackRest: its configuration file (default: pgBackRest's own)",
    );
}

/** `resource:default/payments-db`; the kind is required, the namespace is not. */
export function entityOption(ref: string): CompoundEntityRef {
  try {
    return parseEntityRef(ref, { defaultNamespace: 'default' });
  } catch {
    throw new ConfigurationError(
      `--entity ${ref} is not an entity reference such as resource:default/payments-db`,
    );
  }
}

export const formatEntityRef = (entity: CompoundEntityRef) =>
  `${entity.kind.toLocaleLowerCase('en-US')}:${entity.namespace}/${
    entity.name
  }`;

/** The tool's settings among the command's options. */
export function toolOptionsOf(options: CommonOptions): ToolOptions {
  const { repo, host, tag, readDataSubset } = options;
  const { stanza, pgConfig, pgBin, pgUser, startTimeoutSeconds } = options;
  return {
    repo,
    host,
    tag,
    readDataSubset,
    stanza,
    pgConfig,
    pgBin,
    pgUser,
    startTimeoutSeconds,
  };
}

/**
 * What every command starts from: its output, the entity, the tool's driver
 * and, unless it is a dry run, the backend client.
 */
export function commandContext(options: CommonOptions) {
  const entity = entityOption(options.entity);
  return {
    output: new Output(Boolean(options.json)),
    entity,
    entityRef: formatEntityRef(entity),
    driver: createToolDriver(options.tool, toolOptionsOf(options)),
    client: options.dryRun
      ? undefined
      : BackupAssuranceClient.fromEnvironment(options),
  };
}
