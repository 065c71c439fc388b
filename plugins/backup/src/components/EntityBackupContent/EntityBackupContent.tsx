import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  AccessReviewRecord,
  backupAccessReviewCreatePermission,
  backupRestoreTestCreatePermission,
  BackupRunRecord,
  EvidenceChainReport,
  EvidenceVerification,
  parseBackupProfile,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { Box, Button, Grid, Typography } from '@material-ui/core';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { backupApiRef } from '../../api';
import { BackupAdminList } from '../EntityBackupCard/BackupAdminList';
import { formatDate, formatSeconds } from '../EntityBackupCard/format';
import {
  ACCESS_REVIEW_OUTCOME_LABELS,
  RecordAccessReviewDialog,
} from '../RecordAccessReviewDialog';
import { RecordRestoreTestDialog } from '../RecordRestoreTestDialog';

const HISTORY_PAGE = 50;

const ResultLabel = ({ result }: { result: string }) =>
  result === 'succeeded' ? (
    <StatusOK>Succeeded</StatusOK>
  ) : (
    <StatusError>
      {result === 'failed' ? 'Failed' : 'Partly succeeded'}
    </StatusError>
  );

const restoreTestColumns: TableColumn<RestoreTestRecord>[] = [
  {
    title: 'Result',
    render: row => (
      <>
        <ResultLabel result={row.result} />
        {row.supersededBy && (
          <Typography variant="caption" display="block">
            corrected by a later record
          </Typography>
        )}
      </>
    ),
  },
  { title: 'Completed', render: row => formatDate(row.completedAt) },
  { title: 'Executed by', field: 'executor' },
  { title: 'What was restored', field: 'scope' },
  {
    title: 'Validation',
    render: row =>
      row.validation.map(step => `${step.type}: ${step.outcome}`).join(', ') ||
      'none recorded',
  },
  {
    title: 'Restore took',
    render: row => formatSeconds(row.restoreDurationSeconds),
  },
  {
    title: 'Evidence',
    render: row =>
      row.evidenceUrl ? <Link to={row.evidenceUrl}>record</Link> : '—',
  },
  {
    title: 'Issues and remediation',
    render: row =>
      [row.issuesFound, row.remediation].filter(Boolean).join(' → ') || '—',
  },
  { title: 'Recorded by', render: row => `${row.recordedBy} (${row.source})` },
];

const backupRunColumns: TableColumn<BackupRunRecord>[] = [
  {
    title: 'Outcome',
    render: row =>
      row.outcome === 'succeeded' ? (
        <StatusOK>Succeeded</StatusOK>
      ) : (
        <StatusError>Failed</StatusError>
      ),
  },
  { title: 'Run', render: row => formatDate(row.runAt) },
  {
    title: 'Size',
    render: row =>
      row.sizeBytes === undefined
        ? '—'
        : `${(row.sizeBytes / 1e9).toLocaleString('en-US', {
            maximumFractionDigits: 2,
          })} GB`,
  },
  {
    title: 'Duration',
    render: row =>
      row.durationSeconds === undefined
        ? '—'
        : formatSeconds(row.durationSeconds),
  },
  { title: 'Source', field: 'source' },
  { title: 'Message', render: row => row.message ?? '—' },
];

const accessReviewColumns: TableColumn<AccessReviewRecord>[] = [
  { title: 'Reviewed', render: row => formatDate(row.reviewedAt) },
  { title: 'Reviewed by', field: 'reviewer' },
  {
    title: 'Outcome',
    render: row => ACCESS_REVIEW_OUTCOME_LABELS[row.outcome],
  },
  {
    title: 'Who can delete backups',
    render: row => <BackupAdminList admins={row.admins} />,
  },
  {
    title: 'Evidence',
    render: row =>
      row.evidenceUrl ? <Link to={row.evidenceUrl}>record</Link> : '—',
  },
  { title: 'Notes', render: row => row.notes ?? '—' },
  { title: 'Recorded by', render: row => `${row.recordedBy} (${row.source})` },
];

/** Each chain the verification covers, with its records in words. */
const CHAINS: Array<{
  chain: (v: EvidenceVerification) => EvidenceChainReport;
  records: string;
  record: string;
}> = [
  {
    chain: v => v.restoreTests,
    records: 'restore tests',
    record: 'restore-test',
  },
  { chain: v => v.backupRuns, records: 'backup runs', record: 'backup-run' },
  {
    chain: v => v.accessReviews,
    records: 'access reviews',
    record: 'access-review',
  },
];

const ChainState = ({
  verification,
}: {
  verification: EvidenceVerification;
}) => {
  const broken = CHAINS.find(({ chain }) => !chain(verification).intact);
  const brokenAt = broken && broken.chain(verification).brokenAt;
  const counts = CHAINS.map(
    ({ chain, records }) => `${chain(verification).count} ${records}`,
  );
  return (
    <Box data-testid="evidence-chain" data-intact={String(verification.intact)}>
      {verification.intact || !broken ? (
        <StatusOK>
          Evidence intact: {counts.slice(0, -1).join(', ')} and{' '}
          {counts[counts.length - 1]} verified
        </StatusOK>
      ) : (
        <StatusError>
          Evidence chain broken at record {brokenAt?.sequence}:{' '}
          {brokenAt?.problem}. A stored {broken.record} record was changed or
          removed outside the portal.
        </StatusError>
      )}
    </Box>
  );
};

/**
 * The backup evidence of the current entity: restore-test history, recent
 * backup runs, access reviews, the chain verification, and recording a
 * restore test or an access review.
 *
 * @public
 */
export const EntityBackupContent = () => {
  const { entity } = useEntity();
  const entityRef = getCompoundEntityRef(entity);
  const backupApi = useApi(backupApiRef);
  const { allowed: canRecord } = usePermission({
    permission: backupRestoreTestCreatePermission,
  });
  const { allowed: canRecordReview } = usePermission({
    permission: backupAccessReviewCreatePermission,
  });
  const [dialog, setDialog] = useState<'restore-test' | 'access-review'>();

  const evidence = useAsyncRetry(async () => {
    const page = { limit: HISTORY_PAGE };
    const [restoreTests, backupRuns, accessReviews, verification] =
      await Promise.all([
        backupApi.listRestoreTests(entityRef, page),
        backupApi.listBackupRuns(entityRef, page),
        backupApi.listAccessReviews(entityRef, page),
        backupApi.verifyEvidence(entityRef),
      ]);
    return { restoreTests, backupRuns, accessReviews, verification };
  }, [backupApi, entityRef.kind, entityRef.namespace, entityRef.name]);
  const onRecorded = () => {
    setDialog(undefined);
    evidence.retry();
  };

  if (evidence.loading && !evidence.value) {
    return <Progress />;
  }
  if (evidence.error || !evidence.value) {
    return (
      <ResponseErrorPanel error={evidence.error ?? new Error('No evidence')} />
    );
  }
  const { restoreTests, backupRuns, accessReviews, verification } =
    evidence.value;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Backup evidence">
          <ChainState verification={verification} />
          {(canRecord || canRecordReview) && (
            <Box mt={2} display="flex" style={{ gap: 8 }}>
              {canRecord && (
                <Button
                  variant="contained"
                  color="primary"
                  onClick={() => setDialog('restore-test')}
                >
                  Record restore test
                </Button>
              )}
              {canRecordReview && (
                <Button
                  variant="outlined"
                  color="primary"
                  onClick={() => setDialog('access-review')}
                >
                  Record access review
                </Button>
              )}
            </Box>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Table
          title={`Restore tests (${restoreTests.totalCount})`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={restoreTestColumns}
          data={restoreTests.items}
          emptyContent={
            <Box p={2}>
              <Typography>
                No restore test recorded yet. Restore from a backup, validate
                it, and record it here or from CI.
              </Typography>
            </Box>
          }
        />
      </Grid>
      <Grid item xs={12}>
        <Table
          title={`Recent backup runs (${backupRuns.totalCount})`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={backupRunColumns}
          data={backupRuns.items}
          emptyContent={
            <Box p={2}>
              <Typography>
                No backup run reported by a backup tool yet.
              </Typography>
            </Box>
          }
        />
      </Grid>
      <Grid item xs={12}>
        <Table
          title={`Access reviews (${accessReviews.totalCount})`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={accessReviewColumns}
          data={accessReviews.items}
          emptyContent={
            <Box p={2}>
              <Typography>
                No access review recorded yet. Review who can delete backups or
                disable backup jobs, and record it here or from your
                access-governance tool.
              </Typography>
            </Box>
          }
        />
      </Grid>
      <RecordRestoreTestDialog
        entityRef={entityRef}
        open={dialog === 'restore-test'}
        onClose={() => setDialog(undefined)}
        onRecorded={onRecorded}
      />
      <RecordAccessReviewDialog
        entityRef={entityRef}
        declaredAdmins={parseBackupProfile(entity).profile.backupAdmins}
        open={dialog === 'access-review'}
        onClose={() => setDialog(undefined)}
        onRecorded={onRecorded}
      />
    </Grid>
  );
};
