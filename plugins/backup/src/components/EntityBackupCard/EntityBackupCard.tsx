import {
  CodeSnippet,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  BackupEvaluation,
  backupAnnotationsSnippet,
  BackupPolicy,
  parseBackupProfile,
} from '@backup-assurance/plugin-backup-common';
import { Box, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { backupApiRef } from '../../api';
import { BackupAccessControls } from './BackupAccessControls';
import { BackupFindingsList } from './BackupFindingsList';
import { BackupProfileDetails } from './BackupProfileDetails';
import { BackupStatusLabel } from './BackupStatusLabel';
import { formatDate } from './format';

const NextRestoreTest = ({ evaluation }: { evaluation: BackupEvaluation }) => {
  if (
    evaluation.status === 'out-of-scope' ||
    evaluation.profile.methods?.includes('none')
  ) {
    return null;
  }
  return (
    <>
      {evaluation.lastRestoreTest && (
        <Typography variant="body2" data-testid="backup-last-test">
          Last restore test:{' '}
          <strong>{formatDate(evaluation.lastRestoreTest)}</strong> (
          {evaluation.lastRestoreTestSource === 'record'
            ? 'recorded in the portal'
            : 'from the annotation'}
          )
        </Typography>
      )}
      <Typography variant="body2" data-testid="backup-next-due">
        Next restore test due:{' '}
        <strong>
          {evaluation.nextRestoreTestDue
            ? formatDate(evaluation.nextRestoreTestDue)
            : 'now (no restore test recorded)'}
        </strong>
      </Typography>
    </>
  );
};

const MissingAnnotations = ({
  evaluation,
  policy,
}: {
  evaluation: BackupEvaluation;
  policy: BackupPolicy;
}) => (
  <>
    <Typography variant="body1" paragraph>
      This entity does not declare how it is backed up.
      {evaluation.status === 'out-of-scope'
        ? ' The backup policy does not require it, but declaring it helps the next person.'
        : ` Backup policy ${policy.version} requires it.`}
    </Typography>
    <Typography variant="body2" paragraph>
      Add these annotations to its catalog-info.yaml, with your own values:
    </Typography>
    <CodeSnippet
      language="yaml"
      text={backupAnnotationsSnippet(policy)}
      showCopyCodeButton
    />
  </>
);

/**
 * The backup status of the current entity: status, recorded values in words,
 * the access controls of its backups, findings as a to-do list and the next
 * restore-test date.
 *
 * @public
 */
export const EntityBackupCard = () => {
  const { entity } = useEntity();
  const backupApi = useApi(backupApiRef);
  const annotated = parseBackupProfile(entity).annotated;
  const { value, loading, error } = useAsync(async () => {
    const [evaluation, policy] = await Promise.all([
      backupApi.getStatus(getCompoundEntityRef(entity)),
      // The snippet needs the policy; the access controls do without it.
      annotated
        ? backupApi.getPolicy().catch(() => undefined)
        : backupApi.getPolicy(),
    ]);
    return { evaluation, policy };
  }, [backupApi, entity, annotated]);

  if (loading) {
    return (
      <InfoCard title="Backup">
        <Progress />
      </InfoCard>
    );
  }
  if (error || !value) {
    return <ResponseErrorPanel error={error ?? new Error('No status')} />;
  }
  const { evaluation, policy } = value;
  return (
    <InfoCard
      title="Backup"
      subheader={`Evaluated against backup policy ${evaluation.policyVersion}`}
    >
      <Box mb={2}>
        <Typography variant="h6" component="div">
          <BackupStatusLabel status={evaluation.status} />
        </Typography>
        <NextRestoreTest evaluation={evaluation} />
      </Box>
      {!annotated && policy ? (
        <MissingAnnotations evaluation={evaluation} policy={policy} />
      ) : (
        <>
          <BackupProfileDetails profile={evaluation.profile} />
          <BackupAccessControls evaluation={evaluation} policy={policy} />
          <Box mt={2}>
            <Typography variant="subtitle2">What to do</Typography>
            <BackupFindingsList findings={evaluation.findings} />
          </Box>
        </>
      )}
    </InfoCard>
  );
};
