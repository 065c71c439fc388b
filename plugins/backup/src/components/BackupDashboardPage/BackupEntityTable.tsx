import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  BackupEntityRow,
  BackupOverviewFilters,
  BackupOverviewSort,
  DATA_CLASSIFICATION_LABELS,
} from '@backup-assurance/plugin-backup-common';
import { Box, TablePagination, TextField, Typography } from '@material-ui/core';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { backupApiRef } from '../../api';
import { BackupStatusLabel } from '../EntityBackupCard/BackupStatusLabel';
import { formatDate } from '../EntityBackupCard/format';

const PAGE_SIZE = 20;

const SORT_LABELS: Record<BackupOverviewSort, string> = {
  'most-overdue': 'Most overdue first',
  name: 'Name',
  status: 'Most serious status first',
};

const columns: TableColumn<BackupEntityRow>[] = [
  {
    title: 'Entity',
    render: row => (
      <EntityRefLink entityRef={row.entityRef} title={row.title} />
    ),
  },
  {
    title: 'Owner',
    render: row =>
      row.owner ? (
        <EntityRefLink entityRef={row.owner} defaultKind="group" />
      ) : (
        '—'
      ),
  },
  { title: 'Status', render: row => <BackupStatusLabel status={row.status} /> },
  {
    title: 'Data classification',
    render: row =>
      row.dataClassification
        ? DATA_CLASSIFICATION_LABELS[row.dataClassification]
        : '—',
  },
  {
    title: 'Last restore test',
    render: row =>
      row.lastRestoreTest ? formatDate(row.lastRestoreTest) : 'never',
  },
  {
    title: 'Next restore test due',
    render: row =>
      row.nextRestoreTestDue ? formatDate(row.nextRestoreTestDue) : '—',
  },
  {
    title: 'Days overdue',
    type: 'numeric',
    render: row => row.daysOverdue ?? '—',
  },
];

const SortSelect = ({
  sort,
  onChange,
}: {
  sort: BackupOverviewSort;
  onChange: (sort: BackupOverviewSort) => void;
}) => (
  <TextField
    select
    id="backup-entity-sort"
    label="Order"
    value={sort}
    onChange={event => onChange(event.target.value as BackupOverviewSort)}
    SelectProps={{ native: true }}
    size="small"
  >
    {Object.entries(SORT_LABELS).map(([value, label]) => (
      <option key={value} value={value}>
        {label}
      </option>
    ))}
  </TextField>
);

/**
 * Every entity matching the filters, a page at a time. Give it a key of the
 * filters and order so that changing them starts again from the first page.
 */
export const BackupEntityTable = ({
  filters,
  sort,
  onSortChange,
}: {
  filters: BackupOverviewFilters;
  sort: BackupOverviewSort;
  onSortChange: (sort: BackupOverviewSort) => void;
}) => {
  const backupApi = useApi(backupApiRef);
  const [offset, setOffset] = useState(0);
  const { value, loading, error } = useAsync(
    () => backupApi.listEntities(filters, { sort, limit: PAGE_SIZE, offset }),
    [backupApi, filters, sort, offset],
  );

  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  return (
    <div data-testid="backup-entity-list">
      <Table
        title={`Entities (${value?.totalCount ?? '…'})`}
        isLoading={loading}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={value?.items ?? []}
        emptyContent={
          <Box p={2}>
            <Typography>No entities match the filters.</Typography>
          </Box>
        }
      />
      <Box display="flex" justifyContent="space-between" alignItems="center">
        <SortSelect sort={sort} onChange={onSortChange} />
        <TablePagination
          component="div"
          count={value?.totalCount ?? 0}
          page={Math.floor(offset / PAGE_SIZE)}
          rowsPerPage={PAGE_SIZE}
          rowsPerPageOptions={[PAGE_SIZE]}
          onPageChange={(_event, page) => setOffset(page * PAGE_SIZE)}
        />
      </Box>
    </div>
  );
};
