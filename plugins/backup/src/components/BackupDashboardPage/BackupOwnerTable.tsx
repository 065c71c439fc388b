import { Table, TableColumn } from '@backstage/core-components';
import {
  BackupCoverage,
  BackupStatus,
  BackupSummaryGroup,
} from '@backup-assurance/plugin-backup-common';
import { Box, Button, Link, Typography } from '@material-ui/core';
import { formatPercent } from '../EntityBackupCard/format';
import { BackupStatusCount } from '../EntityBackupCard/BackupStatusLabel';
import { refLabel } from './refLabel';

// Out-of-scope entities are not judged, so they are not counted by status.
const JUDGED_STATUSES: BackupStatus[] = [
  'compliant',
  'due-soon',
  'overdue',
  'non-compliant',
  'incomplete',
  'invalid',
  'exempt',
];

const coverageText = (coverage: BackupCoverage) =>
  coverage.total === 0
    ? '—'
    : `${formatPercent(coverage.ratio)} (${coverage.count}/${coverage.total})`;

const StatusCounts = ({ counts }: { counts: BackupSummaryGroup['counts'] }) => (
  <Box display="flex" flexWrap="wrap" style={{ columnGap: 16 }}>
    {JUDGED_STATUSES.filter(status => counts[status] > 0).map(status => (
      <BackupStatusCount key={status} status={status} count={counts[status]} />
    ))}
  </Box>
);

// Six columns, so the table fits its card at 1,400 px: the statuses share one
// cell (only those that occur) instead of a column each.
const columnsFor = (
  onSelectOwner: (owner: string) => void,
): TableColumn<BackupSummaryGroup>[] => [
  {
    title: 'Owner',
    render: group =>
      group.key === 'none' ? (
        refLabel(group.key, 'owner')
      ) : (
        <Link
          component="button"
          variant="body2"
          onClick={() => onSelectOwner(group.key)}
          title="Show only this owner's entities"
        >
          {refLabel(group.key, 'group')}
        </Link>
      ),
  },
  {
    title: 'In scope',
    field: 'inScope',
    type: 'numeric',
    render: group => `${group.inScope} of ${group.total}`,
  },
  {
    title: 'Statuses',
    sorting: false,
    render: group => <StatusCounts counts={group.counts} />,
  },
  {
    title: 'Valid annotations',
    render: group => coverageText(group.coverage.validAnnotations),
  },
  {
    title: 'Restore test inside policy',
    render: group => coverageText(group.coverage.restoreTestInPolicy),
  },
  {
    title: 'PII encrypted',
    render: group => coverageText(group.coverage.piiEncrypted),
  },
];

/**
 * The figures per owner group; choosing an owner filters the whole dashboard
 * to it.
 */
export const BackupOwnerTable = ({
  groups,
  owner,
  onSelectOwner,
}: {
  groups: BackupSummaryGroup[];
  /** The owner filter in force, if any. */
  owner?: string;
  onSelectOwner: (owner: string | undefined) => void;
}) => (
  <div data-testid="backup-owner-table">
    <Table
      title={`By owner (${groups.length})`}
      subtitle={owner ? undefined : 'Choose an owner to see only its entities'}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columnsFor(onSelectOwner)}
      data={groups}
      emptyContent={
        <Box p={2}>
          <Typography>No entities match the filters.</Typography>
        </Box>
      }
    />
    {owner && (
      <Box mt={1}>
        <Button size="small" onClick={() => onSelectOwner(undefined)}>
          Show all owners
        </Button>
      </Box>
    )}
  </div>
);
