import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  BACKUP_STATUS_LABELS,
  BackupEntityRow,
  BackupOverviewFilters,
} from '@backup-assurance/plugin-backup-common';
import {
  Grid,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { backupApiRef } from '../../api';
import { formatDate } from '../EntityBackupCard/format';

/** The statuses someone must act on now, each in its own list. */
const ATTENTION_STATUSES = ['overdue', 'non-compliant'] as const;
type AttentionStatus = (typeof ATTENTION_STATUSES)[number];

const LIST_LIMIT = 25;

/** Why the entity is on the list, in words. */
const reasonOf = (row: BackupEntityRow, status: AttentionStatus) => {
  if (status === 'overdue') {
    if (row.daysOverdue === null || row.nextRestoreTestDue === null) {
      return 'No restore test recorded';
    }
    return `${row.daysOverdue} days overdue (was due ${formatDate(
      row.nextRestoreTestDue,
    )})`;
  }
  return row.findings
    .filter(finding => finding.severity === 'error')
    .map(finding => finding.message)
    .join(' ');
};

const AttentionCard = ({
  status,
  filters,
}: {
  status: AttentionStatus;
  filters: BackupOverviewFilters;
}) => {
  const backupApi = useApi(backupApiRef);
  const { value, loading, error } = useAsync(
    () =>
      backupApi.listEntities(
        { ...filters, status },
        { sort: 'most-overdue', limit: LIST_LIMIT },
      ),
    [backupApi, filters, status],
  );
  const title = BACKUP_STATUS_LABELS[status];

  const body = () => {
    if (loading) return <Progress />;
    if (error || !value) {
      return <ResponseErrorPanel error={error ?? new Error('No entities')} />;
    }
    if (value.totalCount === 0) {
      return <Typography variant="body2">None.</Typography>;
    }
    return (
      <>
        <List dense aria-label={title}>
          {value.items.map(row => (
            <ListItem key={row.entityRef} data-entity-ref={row.entityRef}>
              <ListItemText
                primary={
                  <EntityRefLink entityRef={row.entityRef} title={row.title} />
                }
                secondary={reasonOf(row, status)}
              />
            </ListItem>
          ))}
        </List>
        {value.totalCount > value.items.length && (
          <Typography variant="caption">
            And {value.totalCount - value.items.length} more: set the status
            filter to see them all in the entity list.
          </Typography>
        )}
      </>
    );
  };

  return (
    <InfoCard
      title={`${title} (${value?.totalCount ?? '…'})`}
      variant="fullHeight"
    >
      <div data-testid={`backup-${status}-list`}>{body()}</div>
    </InfoCard>
  );
};

/**
 * The entities that need action now: restore tests overdue, and policy rules
 * broken. Left out when the status filter asks for another status.
 */
export const BackupAttentionList = ({
  filters,
}: {
  filters: BackupOverviewFilters;
}) => (
  <Grid container spacing={3}>
    {ATTENTION_STATUSES.filter(
      status => !filters.status || filters.status === status,
    ).map(status => (
      <Grid item xs={12} md={6} key={status}>
        <AttentionCard status={status} filters={filters} />
      </Grid>
    ))}
  </Grid>
);
