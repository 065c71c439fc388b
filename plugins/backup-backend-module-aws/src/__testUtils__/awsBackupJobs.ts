// Test-only: AWS Backup jobs in the shapes of the API reference (BackupJob,
// RestoreJobsListMember), as the SDK returns them, relative to now.
import { BackupJob, RestoreJobsListMember } from '@aws-sdk/client-backup';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
export const VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:Default`;
export const PAYMENTS_DB = `arn:aws:rds:${REGION}:${ACCOUNT}:db:payments-db`;
export const ORDERS_TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
export const UNCLAIMED_VOLUME = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0a1b2c3d4e5f67890`;
export const UNCLAIMED_FILES = `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`;

/** Whole seconds, fixed when the test file loads, so fixtures compare equal. */
const NOW = Math.floor(Date.now() / 1000) * 1000;

export const hoursAgo = (hours: number) => new Date(NOW - hours * 3600_000);

export function backupJob(
  id: string,
  resourceArn: string,
  overrides: Partial<BackupJob> = {},
): BackupJob {
  return {
    AccountId: ACCOUNT,
    BackupJobId: id,
    BackupVaultName: 'Default',
    BackupVaultArn: VAULT_ARN,
    RecoveryPointArn: `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:${id}`,
    ResourceArn: resourceArn,
    CreationDate: hoursAgo(3),
    CompletionDate: hoursAgo(2.5),
    State: 'COMPLETED',
    PercentDone: '100.0',
    BackupSizeInBytes: 21474836480,
    IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`,
    ResourceType: 'RDS',
    MessageCategory: 'SUCCESS',
    ...overrides,
  };
}

export function restoreJob(
  id: string,
  sourceResourceArn: string | undefined,
  overrides: Partial<RestoreJobsListMember> = {},
): RestoreJobsListMember {
  return {
    AccountId: ACCOUNT,
    RestoreJobId: id,
    RecoveryPointArn: `arn:aws:rds:${REGION}:${ACCOUNT}:snapshot:awsbackup:job-${id}`,
    SourceResourceArn: sourceResourceArn,
    BackupVaultArn: VAULT_ARN,
    CreationDate: hoursAgo(6),
    CompletionDate: hoursAgo(5),
    Status: 'COMPLETED',
    PercentDone: '100.00%',
    BackupSizeInBytes: 21474836480,
    IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`,
    CreatedResourceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:awsbackup-restore-test-${id}`,
    ResourceType: 'RDS',
    RecoveryPointCreationDate: hoursAgo(20),
    CreatedBy: {
      RestoreTestingPlanArn: `arn:aws:backup:${REGION}:${ACCOUNT}:restore-testing-plan:weekly-7f2e`,
    },
    ValidationStatus: 'SUCCESSFUL',
    ValidationStatusMessage: 'Row counts match the source',
    DeletionStatus: 'SUCCESSFUL',
    ...overrides,
  };
}
