import {
  coreServices,
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  BackupEvidenceService,
  backupEvidenceServiceRef,
} from '@backup-assurance/plugin-backup-node';
import { resolve as resolvePath } from 'path';
import { DemoSubmission, readDemoEvidence } from './demoEvidence';

const RETRY_DELAY_MS = 3000;
const MAX_ATTEMPTS = 60;

/** Appends one submission; a correction names the record id it corrects. */
async function append(
  evidence: BackupEvidenceService,
  submission: DemoSubmission,
  recordIds: Map<string, string>,
): Promise<string> {
  const { entityRef } = submission;
  if (submission.type === 'restore-test') {
    const { correctionOf, input } = submission;
    const supersedes = correctionOf ? recordIds.get(correctionOf) : undefined;
    const appended = await evidence.recordRestoreTest(
      entityRef,
      supersedes ? { ...input, supersedes } : input,
    );
    return appended.record.id;
  }
  const appended =
    submission.type === 'backup-run'
      ? await evidence.recordBackupRun(entityRef, submission.input)
      : await evidence.recordAccessReview(entityRef, submission.input);
  return appended.record.id;
}

/** Retries while the catalog has not yet ingested the demo entities (404). */
async function appendWhenKnown(
  evidence: BackupEvidenceService,
  submission: DemoSubmission,
  recordIds: Map<string, string>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      recordIds.set(
        submission.id,
        await append(evidence, submission, recordIds),
      );
      return;
    } catch (error) {
      // the service's ResponseError carries the answer's status
      const notYet = (error as { statusCode?: number }).statusCode === 404;
      if (!notYet || attempt >= MAX_ATTEMPTS) {
        throw new Error(`Demo evidence ${submission.id}: ${error}`);
      }
      await new Promise(r => setTimeout(r, RETRY_DELAY_MS));
    }
  }
}

async function seed(
  file: string,
  evidence: BackupEvidenceService,
  logger: LoggerService,
) {
  // times relative to now; external ids make a restart store nothing new
  const submissions = readDemoEvidence(resolvePath(file), new Date());
  const recordIds = new Map<string, string>();
  for (const submission of submissions) {
    await appendWhenKnown(evidence, submission, recordIds);
  }
  logger.info(`Demo evidence appended: ${submissions.length} records`);
}

/**
 * Demo portal only: appends examples/evidence.yaml, and the real restic and
 * pgBackRest output it names (examples/tool-output/, read through the CLI's
 * parsers), through the backup evidence service once the backend is up, as
 * any other backend module would. Enabled by `backup.demo.evidenceFile`;
 * idempotent through external ids.
 */
export const backupModuleDemoEvidence = createBackendModule({
  pluginId: 'backup',
  moduleId: 'demo-evidence',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        evidence: backupEvidenceServiceRef,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, evidence, logger, lifecycle }) {
        const file = config.getOptionalString('backup.demo.evidenceFile');
        if (!file) return;
        lifecycle.addStartupHook(() => {
          seed(file, evidence, logger).catch(error =>
            logger.warn(`Demo evidence not appended: ${error}`),
          );
        });
      },
    });
  },
});
