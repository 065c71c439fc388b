import {
  backupEndedAt,
  describeBackup,
  describeSnapshot,
  isUsableStanza,
  parsePgBackRestInfo,
  parseResticSnapshots,
  pgBackRestBackupToRun,
  postgresVersionOf,
  RecoveryPoint,
  resticSnapshotToRun,
  RestoreTestSteps,
  restoreTestRecord,
  shortSnapshotId,
  StepReport,
  ToolName,
} from '@backup-assurance/cli';
import { BackupRunInput } from '@backup-assurance/plugin-backup-common';
import { readFileSync } from 'fs';
import { resolve as resolvePath } from 'path';
import type { DemoSubmission } from './demoEvidence';

/** The tools whose captured output the demo reads (not borg, yet). */
type DemoTool = Exclude<ToolName, 'borg'>;

/**
 * One entry of `toolOutput` in examples/evidence.yaml: a file of machine
 * output that the CLI's end-to-end tests captured from a real backup tool
 * (CAPTURE_TOOL_OUTPUT=1), shown as the history of one demo entity.
 */
export interface DemoToolOutput {
  id: string;
  entity: string;
  tool: DemoTool;
  /** Relative to examples/evidence.yaml. */
  file: string;
  /** pgBackRest: the stanza whose backups are shown. */
  stanza?: string;
  /** The restore test of the latest backup, as the CLI's restore-test posts it. */
  restoreTest: {
    hoursAfterBackup: number;
    restoreDurationSeconds: number;
    durationSeconds: number;
    /** The --validate commands (those the end-to-end test ran). */
    validate: string[];
  };
}

const HOUR = 3600_000;

/**
 * The captured output carries the dates of the day it was captured. The demo
 * shows it as recent: every captured instant (backup times and recovery
 * points, of all files alike) moves by one and the same amount, so that the
 * latest of them lies this long before the portal's start. Order and spacing
 * stay exactly as the tools recorded them.
 */
const CAPTURED_OUTPUT_AGE_HOURS = 3;

/** Where the demo's restore tests ran, in the CLI's default wording. */
const DEMO_RUNNER = 'restore-runner-1';

/** One tool's output read through the CLI's own parsers. */
interface ParsedToolOutput {
  entry: DemoToolOutput;
  runs: BackupRunInput[];
  /** The latest backup: what the CLI's restore-test restores by default. */
  point: RecoveryPoint;
  steps: RestoreTestSteps;
}

const passed = (summary: string): StepReport => ({
  outcome: 'passed',
  summary,
  // the tools' logs of the restore test were not captured
  log: '',
});

/** The application step as the CLI reports --validate commands that passed. */
function validationStep(commands: string[]): StepReport {
  return commands.length === 0
    ? {
        outcome: 'not-performed',
        summary: 'no --validate command was given',
        log: '',
      }
    : passed(
        `${commands.length} validation commands passed: ${commands.join('; ')}`,
      );
}

function readRestic(entry: DemoToolOutput, text: string): ParsedToolOutput {
  const snapshots = parseResticSnapshots(text);
  // `restic snapshots latest`, as the CLI asks for it
  const latest = [...snapshots]
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
    .pop();
  if (!latest) throw new Error(`${entry.file} holds no restic snapshot`);
  return {
    entry,
    runs: snapshots.map(resticSnapshotToRun),
    point: {
      id: latest.id,
      at: new Date(Date.parse(latest.time)).toISOString(),
      description: `restic ${describeSnapshot(latest)}`,
    },
    steps: {
      // the share of the repository the end-to-end test's restore test read
      integrity: passed(
        'restic check --read-data-subset=100%: no errors were found',
      ),
      recoverability: passed(
        `restic restore --verify of ${shortSnapshotId(
          latest,
        )} completed; the snapshot's files restored and verified against it`,
      ),
      application: validationStep(entry.restoreTest.validate),
    },
  };
}

function readPgBackRest(entry: DemoToolOutput, text: string): ParsedToolOutput {
  const name = entry.stanza;
  if (!name) throw new Error(`${entry.id}: pgbackrest needs a stanza`);
  const stanza = parsePgBackRestInfo(text, name);
  if (!stanza || !isUsableStanza(stanza)) {
    throw new Error(`${entry.file} holds no usable stanza ${name}`);
  }
  // the latest backup set to finish, as the CLI picks it
  const latest = [...stanza.backup]
    .sort((a, b) => a.timestamp.stop - b.timestamp.stop)
    .pop();
  if (!latest) throw new Error(`${entry.file}: stanza ${name} has no backup`);
  const version = postgresVersionOf(stanza, latest);
  return {
    entry,
    runs: stanza.backup.map(backup => pgBackRestBackupToRun(name, backup)),
    point: {
      id: latest.label,
      at: backupEndedAt(latest),
      description: `pgBackRest ${describeBackup(latest)} of stanza ${name}${
        version ? ` (PostgreSQL ${version})` : ''
      }`,
    },
    steps: {
      integrity: passed(
        `pgbackrest verify: every backup and WAL file of stanza ${name} is valid`,
      ),
      recoverability: passed(
        `pgbackrest restore of ${latest.label} completed; PostgreSQL started on the restored data, recovered to the backup's consistent point and answered`,
      ),
      application: validationStep(entry.restoreTest.validate),
    },
  };
}

const READERS: Record<
  DemoTool,
  (entry: DemoToolOutput, text: string) => ParsedToolOutput
> = {
  restic: readRestic,
  pgbackrest: readPgBackRest,
};

/**
 * Reads the captured tool output through the CLI's parsers into submissions:
 * every backup as a backup run (source and external id as the CLI's
 * report-runs posts them) and one restore test of the latest backup, built by
 * the CLI's record builder, with times shifted to just before `now`.
 */
export function readToolEvidence(
  entries: DemoToolOutput[],
  directory: string,
  now: Date,
): DemoSubmission[] {
  const parsed = entries.map(entry =>
    READERS[entry.tool](
      entry,
      readFileSync(resolvePath(directory, entry.file), 'utf8'),
    ),
  );
  const captured = parsed.flatMap(({ runs, point }) => [
    ...runs.map(run => Date.parse(run.runAt)),
    Date.parse(point.at),
  ]);
  if (captured.length === 0) return [];
  const shiftMs =
    now.getTime() - CAPTURED_OUTPUT_AGE_HOURS * HOUR - Math.max(...captured);
  const shift = (iso: string) =>
    new Date(Date.parse(iso) + shiftMs).toISOString();

  return parsed.flatMap(({ entry, runs, point, steps }): DemoSubmission[] => {
    const recoveryPoint = { ...point, at: shift(point.at) };
    const startedAt = new Date(
      Date.parse(recoveryPoint.at) + entry.restoreTest.hoursAfterBackup * HOUR,
    );
    const restoreTest = restoreTestRecord({
      tool: entry.tool,
      point: recoveryPoint,
      steps,
      startedAt,
      completedAt: new Date(
        startedAt.getTime() + entry.restoreTest.durationSeconds * 1000,
      ),
      restoreDurationSeconds: entry.restoreTest.restoreDurationSeconds,
      scope: `${recoveryPoint.description}, restored into a scratch directory on ${DEMO_RUNNER}`,
      executor: `backup-assurance CLI on ${DEMO_RUNNER}`,
      // the CLI adds the start time; the demo's moves with every start, and a
      // restart must store nothing new
      externalId: `${entry.tool}-restore-test:${point.id}`,
    });
    return [
      ...[...runs]
        .sort((a, b) => a.runAt.localeCompare(b.runAt))
        .map(
          (run, index): DemoSubmission => ({
            type: 'backup-run',
            id: `${entry.id}-run-${index + 1}`,
            entityRef: entry.entity,
            input: { ...run, runAt: shift(run.runAt) },
          }),
        ),
      {
        type: 'restore-test',
        id: `${entry.id}-restore-test`,
        entityRef: entry.entity,
        input: restoreTest,
      },
    ];
  });
}
