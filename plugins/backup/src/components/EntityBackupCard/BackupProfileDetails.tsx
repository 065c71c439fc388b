import { StructuredMetadataTable, Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  BACKUP_METHOD_LABELS,
  BackupProfile,
  DATA_CLASSIFICATION_LABELS,
  ENCRYPTION_LABELS,
} from '@backup-assurance/plugin-backup-common';
import { ReactNode } from 'react';
import { formatDate, formatDuration } from './format';

/** Each recorded value of the profile, in words; absent values are left out. */
export const BackupProfileDetails = ({
  profile,
}: {
  profile: BackupProfile;
}) => {
  const rows: Record<string, ReactNode> = {};
  const add = (label: string, value: ReactNode | undefined) => {
    if (value !== undefined) rows[label] = value;
  };
  add('Method', profile.methods?.map(m => BACKUP_METHOD_LABELS[m]).join(', '));
  add(
    'Data classification',
    profile.dataClassification &&
      DATA_CLASSIFICATION_LABELS[profile.dataClassification],
  );
  add(
    'Accountable owner',
    profile.owner && <EntityRefLink entityRef={profile.owner} />,
  );
  add(
    'Last restore test',
    profile.lastRestoreTest && formatDate(profile.lastRestoreTest),
  );
  add(
    'Restore-test evidence',
    profile.restoreTestEvidence && (
      <Link to={profile.restoreTestEvidence}>
        {profile.restoreTestEvidence}
      </Link>
    ),
  );
  add(
    'Backup frequency',
    profile.frequency && `Every ${formatDuration(profile.frequency)}`,
  );
  add('Retention', profile.retention && formatDuration(profile.retention));
  add('Recovery point objective', profile.rpo && formatDuration(profile.rpo));
  add('Recovery time objective', profile.rto && formatDuration(profile.rto));
  add(
    'Encryption',
    profile.encryption && ENCRYPTION_LABELS[profile.encryption],
  );
  add('Backup locations', profile.locations?.join(', '));
  add('Backup provider', profile.provider);
  add(
    'Exemption',
    profile.exemption &&
      `${profile.exemption}${
        profile.exemptionExpires
          ? ` (until ${formatDate(profile.exemptionExpires)})`
          : ''
      }`,
  );
  return <StructuredMetadataTable metadata={rows} dense />;
};
