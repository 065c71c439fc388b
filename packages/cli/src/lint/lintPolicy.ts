import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import {
  BACKUP_ANNOTATIONS,
  BackupField,
  BackupPolicy,
  BackupPolicyConfigError,
  DEFAULT_BACKUP_POLICY,
  readBackupPolicy,
  shortAnnotationName,
} from '@backup-assurance/plugin-backup-common';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { BackupAssuranceClient } from '../backend/BackupAssuranceClient';
import { ConfigurationError } from '../errors';
import { LintPolicySource } from './formatLintReport';
import { isMapping } from './isMapping';

export interface ResolvedPolicy {
  policy: BackupPolicy;
  source: LintPolicySource;
}

/** The backend's own reader, so a wrong key fails here as it fails there. */
function readPolicy(config: ConfigReader, where: string): BackupPolicy {
  try {
    return readBackupPolicy(config);
  } catch (error) {
    if (error instanceof BackupPolicyConfigError) {
      throw new ConfigurationError(`${where}: ${error.message}`);
    }
    throw error;
  }
}

async function readConfigFile(path: string): Promise<JsonObject> {
  let data: unknown;
  try {
    data = parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(
      `--config ${path} cannot be read: ${(error as Error).message}`,
    );
  }
  if (data === null) return {};
  if (!isMapping(data)) {
    throw new ConfigurationError(`--config ${path} is not an app-config file`);
  }
  return data as JsonObject;
}

/**
 * `backup.policy` from app-config files, later files overriding earlier ones
 * as in Backstage. Substitutions (`${VAR}`, `$include`, `$env`) are not
 * applied: the policy is plain configuration.
 */
export async function policyFromConfigFiles(
  paths: string[],
): Promise<ResolvedPolicy> {
  const configs = [];
  for (const path of paths) {
    configs.push({ data: await readConfigFile(path), context: path });
  }
  const policy = readPolicy(
    ConfigReader.fromConfigs(configs),
    paths.join(', '),
  );
  return {
    policy,
    source: { version: policy.version, source: paths.join(', ') },
  };
}

/** The backend serves field names (`dataClassification`); its config takes annotation names. */
function asPolicyConfig(served: JsonObject): JsonObject {
  const required = served.requiredAnnotations;
  if (!Array.isArray(required)) return served;
  return {
    ...served,
    requiredAnnotations: required.map(field =>
      typeof field === 'string' && field in BACKUP_ANNOTATIONS
        ? shortAnnotationName(field as BackupField)
        : field,
    ),
  };
}

/** The policy a running backend evaluates with (GET /api/backup/policy). */
export async function policyFromBackend(
  client: BackupAssuranceClient,
  url: string,
): Promise<ResolvedPolicy> {
  const served = await client.getPolicy();
  if (!isMapping(served)) {
    throw new ConfigurationError(`the backend at ${url} served no policy`);
  }
  const config = new ConfigReader({
    backup: { policy: asPolicyConfig(served as JsonObject) },
  });
  const policy = readPolicy(config, `the policy served by ${url}`);
  return { policy, source: { version: policy.version, source: url } };
}

export const defaultPolicy = (): ResolvedPolicy => ({
  policy: DEFAULT_BACKUP_POLICY,
  source: {
    version: DEFAULT_BACKUP_POLICY.version,
    source: 'the default policy',
  },
});
