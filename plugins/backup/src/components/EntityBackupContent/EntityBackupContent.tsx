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
  backupRestoreTestCreatePermission,
  BackupRunRecord,
  EvidenceVerification,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { Box, Button, Grid, Typography } from '@material-ui/core';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { backupApiRef } from '../../api';
import { formatDate, formatSeconds } from '../EntityBackupCard/format';
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

const ChainState = ({
  verification,
}: {
  verification: EvidenceVerification;
}) => {
  const broken = [verification.restoreTests, verification.backupRuns].find(
    chain => !chain.intact,
  );
  return (
    <Box data-testid="evidence-chain" data-intact={String(verification.intact)}>
      {verification.intact ? (
        <StatusOK>
          Evidence intact: {verification.restoreTests.count} restore tests and{' '}
          {verification.backupRuns.count} backup runs verified
        </StatusOK>
      ) : (
        <StatusError>
          Evidence chain broken at record {broken?.brokenAt?.sequence}:{' '}
          {broken?.brokenAt?.problem}. A stored record was changed or removed
          outside the portal.
        </StatusError>
      )}
    </Box>
  );
};

/**
 * The backup evidence of the current entity: restore-test history, recent
 * backup runs, the chain verification, and recording a restore test.
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
  const [dialogOpen, setDialogOpen] = useState(false);

  const evidence = useAsyncRetry(async () => {
    const [restoreTests, backupRuns, verification] = await Promise.all([
      backupApi.listRestoreTests(entityRef, { limit: HISTORY_PAGE }),
      backupApi.listBackupRuns(entityRef, { limit: HISTORY_PAGE }),
      backupApi.verifyEvidence(entityRef),
    ]);
    return { restoreTests, backupRuns, verification };
  }, [backupApi, entityRef.kind, entityRef.namespace, entityRef.name]);

  if (evidence.loading && !evidence.value) {
    return <Progress />;
  }
  if (evidence.error || !evidence.value) {
    return (
      <ResponseErrorPanel error={evidence.error ?? new Error('No evidence')} />
    );
  }
  const { restoreTests, backupRuns, verification } = evidence.value;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Backup evidence">
          <ChainState verification={verification} />
          {canRecord && (
            <Box mt={2}>
              <Button
                variant="contained"
                color="primary"
                onClick={() => setDialogOpen(true)}
              >
                Record restore test
              </Button>
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
      <RecordRestoreTestDialog
        entityRef={entityRef}
        open={dialogOpen}
        onClose={() => setDialogOpen(false)}
        onRecorded={() => {
          setDialogOpen(false);
          evidence.retry();
        }}
      />
    </Grid>
  );
};
