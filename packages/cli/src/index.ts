/**
 * The `backup-assurance` command: evidence straight from the backup tools.
 *
 * As a library it exports only pure code (no process is spawned): the parsers
 * of the tools' machine output and the restore-test record builder, so that
 * other code (e.g. the demo backend) reads tool output exactly as the CLI does.
 *
 * @packageDocumentation
 */
import { join, sep } from 'node:path';
import { main } from './main';

export {
  describeSnapshot,
  parseResticSnapshots,
  resticSnapshotToRun,
  shortSnapshotId,
} from './tools/restic/parseResticSnapshots';
export type { ResticSnapshot } from './tools/restic/parseResticSnapshots';
export {
  backupEndedAt,
  describeBackup,
  isUsableStanza,
  parsePgBackRestInfo,
  pgBackRestBackupToRun,
  postgresVersionOf,
} from './tools/pgbackrest/parsePgBackRestInfo';
export type {
  PgBackRestBackup,
  PgBackRestStanza,
} from './tools/pgbackrest/parsePgBackRestInfo';
export {
  borgArchiveToRun,
  borgInstant,
  describeArchive,
  isCheckpointArchive,
  parseBorgInfo,
} from './tools/borg/parseBorgInfo';
export type { BorgArchive } from './tools/borg/parseBorgInfo';
export {
  restoreTestRecord,
  restoreTestResult,
} from './restoreTest/restoreTestRecord';
export type {
  RestoreTestFacts,
  RestoreTestSteps,
} from './restoreTest/restoreTestRecord';
export { TOOL_NAMES } from './tools/ToolDriver';
export type { RecoveryPoint, StepReport, ToolName } from './tools/ToolDriver';

// Runs the command only when the program is bin/backup-assurance, which loads
// this module (from src/ here, from dist/ when published); imported as a
// library, it runs nothing.
if (require.main?.filename.endsWith(join(sep, 'bin', 'backup-assurance'))) {
  main(process.argv).then(code => {
    process.exitCode = code;
  });
}
