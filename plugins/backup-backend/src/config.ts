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

export interface ExportConfig {
  /** Evidence-pack downloads streamed at once; more are answered 429. */
  maxConcurrentDownloads: number;
}

export const DEFAULT_MAX_CONCURRENT_DOWNLOADS = 4;
const MAX_DOWNLOADS_KEY = 'backup.export.maxConcurrentDownloads';
const MAX_DOWNLOADS_LIMIT = 100;

/** Reads `backup.export`; an invalid value fails start-up naming the key. */
export function readExportConfig(config: Config): ExportConfig {
  if (!config.has(MAX_DOWNLOADS_KEY)) {
    return { maxConcurrentDownloads: DEFAULT_MAX_CONCURRENT_DOWNLOADS };
  }
  const expected = `expected a whole number from 1 to ${MAX_DOWNLOADS_LIMIT}`;
  let value: number;
  try {
    value = config.getNumber(MAX_DOWNLOADS_KEY);
  } catch (error) {
    throw new Error(
      `Invalid config at '${MAX_DOWNLOADS_KEY}': ${
        (error as Error).message
      }; ${expected}`,
    );
  }
  if (!Number.isInteger(value) || value < 1 || value > MAX_DOWNLOADS_LIMIT) {
    throw new Error(
      `Invalid config at '${MAX_DOWNLOADS_KEY}': ${value}; ${expected}`,
    );
  }
  return { maxConcurrentDownloads: value };
}
