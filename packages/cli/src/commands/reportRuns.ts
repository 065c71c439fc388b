import {
  BackupRunInput,
  backupRunInputProblems,
  EVIDENCE_LIMITS,
  EvidenceInputProblem,
} from '@backup-assurance/plugin-backup-common';
import { Command } from 'commander';
import { EXIT_CODES, ExitCode } from '../errors';
import {
  commandContext,
  CommonOptions,
  withCommonOptions,
} from './commonOptions';

interface RejectedRun {
  externalId?: string;
  problems: EvidenceInputProblem[];
}

/** The backend checks the same rules; checking first keeps one bad run from sinking a batch. */
function splitByInputRules(runs: BackupRunInput[], now: Date) {
  const valid: BackupRunInput[] = [];
  const rejected: RejectedRun[] = [];
  for (const run of runs) {
    const problems = backupRunInputProblems(run, now);
    if (problems.length === 0) valid.push(run);
    else rejected.push({ externalId: run.externalId, problems });
  }
  return { valid, rejected };
}

function batches<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

export async function reportRuns(options: CommonOptions): Promise<ExitCode> {
  const { output, entity, entityRef, driver, client } = commandContext(options);

  const { valid, rejected } = splitByInputRules(
    await driver.listRuns(),
    new Date(),
  );
  for (const { externalId, problems } of rejected) {
    output.progress(
      `skipped ${externalId}: ${problems.map(p => p.message).join('; ')}`,
    );
  }
  const exitCode = rejected.length ? EXIT_CODES.failed : EXIT_CODES.ok;
  if (!client) {
    output.document({ entityRef, items: valid, rejected });
    return exitCode;
  }

  const stored = [];
  for (const batch of batches(valid, EVIDENCE_LIMITS.maxBatchSize)) {
    stored.push(...(await client.postBackupRuns(entity, batch)));
  }
  const created = stored.filter(item => item.created).length;
  output.result(
    {
      entityRef,
      tool: driver.tool,
      found: valid.length + rejected.length,
      created,
      repeated: stored.length - created,
      rejected,
      records: stored.map(({ created: isNew, record }) => ({
        created: isNew,
        id: record.id,
        externalId: record.externalId,
        sequence: record.sequence,
      })),
    },
    [
      `${driver.tool}: ${
        valid.length + rejected.length
      } backups found for ${entityRef}`,
      `posted ${stored.length}: ${created} new, ${
        stored.length - created
      } already recorded${
        rejected.length ? `, ${rejected.length} skipped` : ''
      }`,
    ],
  );
  return exitCode;
}

export function reportRunsCommand(onExit: (code: ExitCode) => void): Command {
  return withCommonOptions(
    new Command('report-runs').description(
      "post the tool's backups as backup-run reports (idempotent: each backup is stored once)",
    ),
  ).action(async (options: CommonOptions) => onExit(await reportRuns(options)));
}
