import {
  EVIDENCE_LIMITS,
  RestoreTestInput,
  restoreTestInputProblems,
} from '@backup-assurance/plugin-backup-common';
import { Command } from 'commander';
import { hostname } from 'node:os';
import { EXIT_CODES, ExitCode, FailedError } from '../errors';
import { runRestoreTest } from '../restoreTest/runRestoreTest';
import { DEFAULT_START_TIMEOUT_SECONDS } from '../tools/pgbackrest/PgBackRestDriver';
import { DEFAULT_READ_DATA_SUBSET } from '../tools/restic/ResticDriver';
import {
  commandContext,
  collect,
  CommonOptions,
  parseCount,
  withCommonOptions,
} from './commonOptions';

interface RestoreTestCommandOptions extends CommonOptions {
  target: string;
  snapshot?: string;
  validate: string[];
  executor?: string;
  scope?: string;
  evidenceUrl?: string;
  externalId?: string;
}

const ageInSeconds = (record: RestoreTestInput) =>
  record.recoveryPointAt
    ? Math.round(
        (Date.parse(record.startedAt) - Date.parse(record.recoveryPointAt)) /
          1000,
      )
    : undefined;

function summaryLines(record: RestoreTestInput, entityRef: string): string[] {
  return [
    `restore test of ${entityRef} ${record.result}`,
    ...record.validation.map(
      step => `  ${step.type}: ${step.outcome} - ${step.notes?.split('\n')[0]}`,
    ),
    `  restore took ${
      record.restoreDurationSeconds
    }s; the recovery point was ${ageInSeconds(record)}s old`,
  ];
}

export async function restoreTest(
  options: RestoreTestCommandOptions,
): Promise<ExitCode> {
  const { output, entity, entityRef, driver, client } = commandContext(options);
  // a wrong backend, token or entity shows before an hour of restoring
  await client?.getStatus(entity);

  const record = await runRestoreTest(driver, {
    target: options.target,
    snapshot: options.snapshot,
    validate: options.validate,
    executor: (
      options.executor ?? `backup-assurance CLI on ${hostname()}`
    ).slice(0, EVIDENCE_LIMITS.shortText),
    scope: options.scope,
    evidenceUrl: options.evidenceUrl,
    externalId: options.externalId,
    progress: output.progress,
  });
  const exitCode =
    record.result === 'succeeded' ? EXIT_CODES.ok : EXIT_CODES.failed;
  const problems = restoreTestInputProblems(record, new Date());
  if (!client || problems.length > 0) {
    output.document(record);
    if (problems.length > 0) {
      throw new FailedError(
        `the record breaks the input rules: ${problems
          .map(p => p.message)
          .join('; ')}`,
      );
    }
    return exitCode;
  }

  try {
    const stored = await client.postRestoreTest(entity, record);
    output.result(
      {
        entityRef,
        result: record.result,
        restoreDurationSeconds: record.restoreDurationSeconds,
        recoveryPointAgeSeconds: ageInSeconds(record),
        created: stored.created,
        record: stored.record,
      },
      [
        ...summaryLines(record, entityRef),
        `recorded as ${stored.record.id}${
          stored.created ? '' : ' (already recorded)'
        }`,
      ],
    );
  } catch (error) {
    // keep the evidence in the job's log when it could not be stored
    output.document(record);
    throw error;
  }
  return exitCode;
}

export function restoreTestCommand(onExit: (code: ExitCode) => void): Command {
  return withCommonOptions(
    new Command('restore-test').description(
      'restore a backup into a scratch directory, check it and post one restore-test record',
    ),
  )
    .requiredOption(
      '--target <dir>',
      'empty scratch directory to restore into; emptied again afterwards',
    )
    .option('--snapshot <id>', 'the backup to restore (default: the latest)')
    .option(
      '--validate <command>',
      'shell command checking the restored data, run in the target (pgBackRest: with PGHOST/PGPORT of the restored cluster); repeatable',
      collect,
      [],
    )
    .option(
      '--executor <name>',
      'who ran the test (default: backup-assurance CLI on <hostname>)',
    )
    .option('--scope <text>', 'what was restored (default: from the backup)')
    .option('--evidence-url <url>', 'link to the job run, for auditors')
    .option(
      '--external-id <id>',
      'idempotency key (default: tool, backup and start time)',
    )
    .option(
      '--read-data-subset <subset>',
      'restic: share of pack data restic check reads, e.g. 10% or 100%',
      DEFAULT_READ_DATA_SUBSET,
    )
    .option(
      '--pg-bin <dir>',
      'pgBackRest: PostgreSQL binaries (default: /usr/lib/postgresql/<version>/bin)',
    )
    .option(
      '--pg-user <name>',
      'pgBackRest: superuser of the restored cluster',
      'postgres',
    )
    .option(
      '--start-timeout <seconds>',
      'pgBackRest: how long the restored cluster may take to start and recover',
      parseCount,
      DEFAULT_START_TIMEOUT_SECONDS,
    )
    .action(
      async (options: RestoreTestCommandOptions & { startTimeout: number }) =>
        onExit(
          await restoreTest({
            ...options,
            startTimeoutSeconds: options.startTimeout,
          }),
        ),
    );
}
