import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import {
  BackupPolicy,
  DATA_CLASSIFICATION_LABELS,
  DATA_CLASSIFICATIONS,
  DataClassification,
} from '@backup-assurance/plugin-backup-common';
import useAsync from 'react-use/esm/useAsync';
import { backupApiRef } from '../../api';
import { formatDate, formatDuration } from '../EntityBackupCard/format';

const intervalsOf = (policy: BackupPolicy) => [
  ...DATA_CLASSIFICATIONS.map(
    classification =>
      `${DATA_CLASSIFICATION_LABELS[classification]}: every ${formatDuration(
        policy.restoreTestInterval[classification],
      )}`,
  ),
  `Not classified: every ${formatDuration(policy.restoreTestInterval.default)}`,
];

const classificationsOf = (classifications: DataClassification[]) =>
  classifications
    .map(classification => DATA_CLASSIFICATION_LABELS[classification])
    .join(', ') || 'no classification';

/** Who may approve an exemption: the approver groups or their members. */
const exemptionApproversOf = (policy: BackupPolicy) =>
  policy.exemptionApprovers.length === 0 ? (
    'no one named, so no exemption is honoured'
  ) : (
    <>
      <EntityRefLinks
        entityRefs={policy.exemptionApprovers}
        defaultKind="group"
      />{' '}
      or one of their members
    </>
  );

const detailsOf = (policy: BackupPolicy) => ({
  Version: policy.version,
  'Approved by': policy.approvedBy ?? 'not recorded',
  'Approved on': policy.approvedAt
    ? formatDate(policy.approvedAt)
    : 'not recorded',
  'Restore test at least': intervalsOf(policy),
  'Due soon': `${formatDuration(policy.dueSoonWindow)} before the due date`,
  'Encrypted backups required for': classificationsOf(
    policy.encryptionRequiredFor,
  ),
  'Access-controlled backups required for': classificationsOf(
    policy.accessControlRequiredFor,
  ),
  'Access review at least': `every ${formatDuration(
    policy.accessReviewInterval,
  )} (who can delete backups or disable backup jobs)`,
  'Exemptions approved by': exemptionApproversOf(policy),
  'Exemptions run at most': `${formatDuration(
    policy.maxExemption,
  )} ahead; a longer one is not honoured`,
});

/** The agreed backup policy the figures are measured against. */
export const BackupPolicyPanel = () => {
  const backupApi = useApi(backupApiRef);
  const { value, loading, error } = useAsync(
    () => backupApi.getPolicy(),
    [backupApi],
  );
  const body = () => {
    if (loading) return <Progress />;
    if (error || !value) {
      return <ResponseErrorPanel error={error ?? new Error('No policy')} />;
    }
    return <StructuredMetadataTable metadata={detailsOf(value)} dense />;
  };
  return (
    <InfoCard title="Backup policy">
      <div data-testid="backup-policy">{body()}</div>
    </InfoCard>
  );
};
