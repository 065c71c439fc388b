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
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  AccessReviewRecord,
  backupAccessReviewCreatePermission,
  backupFollowUpCreatePermission,
  backupRestoreTestCreatePermission,
  BackupRunRecord,
  EvidenceChainReport,
  EvidenceVerification,
  FollowUpAction,
  parseBackupProfile,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { Box, Button, Grid, Typography } from '@material-ui/core';
import { useMemo, useState } from 'react';
import { BackupAdminList } from '../EntityBackupCard/BackupAdminList';
import { formatDate, formatSeconds } from '../EntityBackupCard/format';
import {
  failureOfBackupRun,
  failureOfRestoreTest,
  FollowedFailure,
  followUpColumn,
  FollowUpContext,
} from '../FailureFollowUp';
import {
  ACCESS_REVIEW_OUTCOME_LABELS,
  RecordAccessReviewDialog,
} from '../RecordAccessReviewDialog';
import { compactTableOptions } from '../compactTableOptions';
import { RecordFollowUpDialog } from '../RecordFollowUpDialog';
import { RecordRestoreTestDialog } from '../RecordRestoreTestDialog';
import { useEntityEvidence } from './useEntityEvidence';

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
  /** Undefined when the backend does not keep such records. */
  chain: (v: EvidenceVerification) => EvidenceChainReport | undefined;
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
  { chain: v => v.followUps, records: 'follow-ups', record: 'follow-up' },
];

const ChainState = ({
  verification,
}: {
  verification: EvidenceVerification;
}) => {
  const reports = CHAINS.flatMap(({ chain, ...words }) => {
    const report = chain(verification);
    return report ? [{ ...words, report }] : [];
  });
  const broken = reports.find(({ report }) => !report.intact);
  const brokenAt = broken?.report.brokenAt;
  const counts = reports.map(
    ({ report, records }) => `${report.count} ${records}`,
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

/** The failure being followed up in the dialog, and how. */
interface FollowUpTarget {
  failure: FollowedFailure;
  action: FollowUpAction;
}

/**
 * The backup evidence of the current entity: restore-test history, recent
 * backup runs with the follow-up of each failure, access reviews, the chain
 * verification, and recording a restore test, an access review, or the
 * acknowledgement and resolution of a failure.
 *
 * @public
 */
export const EntityBackupContent = () => {
  const { entity } = useEntity();
  const entityRef = getCompoundEntityRef(entity);
  const { allowed: canRecord } = usePermission({
    permission: backupRestoreTestCreatePermission,
  });
  const { allowed: canRecordReview } = usePermission({
    permission: backupAccessReviewCreatePermission,
  });
  const { allowed: canFollowUp } = usePermission({
    permission: backupFollowUpCreatePermission,
  });
  const [dialog, setDialog] = useState<'restore-test' | 'access-review'>();
  const [followUp, setFollowUp] = useState<FollowUpTarget>();

  const evidence = useEntityEvidence(entityRef);
  // The tables keep their columns until the evidence is read again.
  const followUpColumns = useMemo(() => {
    if (!evidence.value) return undefined;
    const context: FollowUpContext = {
      followUpsOf: evidence.value.followUpsOf,
      window: evidence.value.acknowledgeWithin,
      now: new Date(),
      canFollowUp,
      onFollowUp: (failure, action) => setFollowUp({ failure, action }),
    };
    return {
      restoreTests: [
        ...restoreTestColumns,
        followUpColumn(failureOfRestoreTest, context),
      ],
      backupRuns: [
        ...backupRunColumns,
        followUpColumn(failureOfBackupRun, context),
      ],
    };
  }, [evidence.value, canFollowUp]);
  const onRecorded = () => {
    setDialog(undefined);
    setFollowUp(undefined);
    evidence.retry();
  };

  if (evidence.loading && !evidence.value) {
    return <Progress />;
  }
  if (evidence.error || !evidence.value || !followUpColumns) {
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
      <Grid item xs={12} data-testid="backup-restore-tests">
        <Table
          title={`Restore tests (${restoreTests.totalCount})`}
          options={compactTableOptions}
          columns={followUpColumns.restoreTests}
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
      <Grid item xs={12} data-testid="backup-backup-runs">
        <Table
          title={`Recent backup runs (${backupRuns.totalCount})`}
          options={compactTableOptions}
          columns={followUpColumns.backupRuns}
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
      <Grid item xs={12} data-testid="backup-access-reviews">
        <Table
          title={`Access reviews (${accessReviews.totalCount})`}
          options={compactTableOptions}
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
      {/* mounted while open only: each opening starts a fresh form */}
      {dialog === 'restore-test' && (
        <RecordRestoreTestDialog
          entityRef={entityRef}
          open
          onClose={() => setDialog(undefined)}
          onRecorded={onRecorded}
        />
      )}
      {dialog === 'access-review' && (
        <RecordAccessReviewDialog
          entityRef={entityRef}
          declaredAdmins={parseBackupProfile(entity).profile.backupAdmins}
          open
          onClose={() => setDialog(undefined)}
          onRecorded={onRecorded}
        />
      )}
      {followUp && (
        <RecordFollowUpDialog
          key={`${followUp.failure.kind}:${followUp.failure.id}:${followUp.action}`}
          entityRef={entityRef}
          failure={followUp.failure}
          action={followUp.action}
          open
          onClose={() => setFollowUp(undefined)}
          onRecorded={onRecorded}
        />
      )}
    </Grid>
  );
};
