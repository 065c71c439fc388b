import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';

export interface EvidenceConfig {
  /** Age after which backup-run reports are pruned (restore tests never are). */
  backupRunRetention: HumanDuration;
}

const RETENTION_KEY = 'backup.evidence.backupRunRetention';

/** Reads `backup.evidence`; an invalid value fails start-up naming the key. */
export function readEvidenceConfig(config: Config): EvidenceConfig {
  if (!config.has(RETENTION_KEY)) {
    return { backupRunRetention: { days: 400 } };
  }
  try {
    return {
      backupRunRetention: readDurationFromConfig(config, {
        key: RETENTION_KEY,
      }),
    };
  } catch (error) {
    throw new Error(
      `Invalid config at '${RETENTION_KEY}': ${
        (error as Error).message
      }; expected an ISO 8601 duration such as P400D or an object such as { days: 400 }`,
    );
  }
}
