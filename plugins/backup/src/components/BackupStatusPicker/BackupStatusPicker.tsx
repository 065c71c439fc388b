import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  CatalogAutocomplete,
  DefaultEntityFilters,
  useEntityList,
} from '@backstage/plugin-catalog-react';
import {
  BACKUP_STATUS_LABELS,
  BackupStatus,
} from '@backup-assurance/plugin-backup-common';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import { useEffect, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { backupApiRef } from '../../api';
import {
  BackupStatusFilter,
  backupStatusesOfQuery,
  PICKABLE_BACKUP_STATUSES,
} from './BackupStatusFilter';

/** The catalog filters with the backup status among them. @public */
export type BackupCatalogFilters = DefaultEntityFilters & {
  backupStatus?: BackupStatusFilter;
};

/**
 * The statuses of the listed entities by ref, fetched in one batch (the
 * client splits it by the route's limit) only while a status is picked.
 */
function useListedStatuses(active: boolean) {
  const api = useApi(backupApiRef);
  const { backendEntities } = useEntityList();
  // Keyed by the refs, not the array: the list hands out a new array on
  // every refresh, including the one that applying this filter causes.
  const refsKey = useMemo(
    () =>
      [...new Set(backendEntities.map(e => stringifyEntityRef(e)))].join('\n'),
    [backendEntities],
  );
  return useAsync(async () => {
    const refs = refsKey ? refsKey.split('\n') : [];
    if (!active || refs.length === 0) return new Map<string, BackupStatus>();
    const rows = await api.getEntityRowsByRefs(refs);
    return new Map(
      refs.flatMap((ref, i): Array<[string, BackupStatus]> => {
        const row = rows[i];
        return row ? [[ref, row.status]] : [];
      }),
    );
  }, [api, refsKey, active]);
}

/**
 * A backup-status filter for the catalog index page: keeps the entities
 * whose status is one of those picked, and keeps the choice in the URL.
 *
 * @public
 */
export const BackupStatusPicker = () => {
  const {
    updateFilters,
    queryParameters: { backupStatus: queryValue },
  } = useEntityList<BackupCatalogFilters>();
  const [selected, setSelected] = useState<BackupStatus[]>(() =>
    backupStatusesOfQuery(queryValue),
  );
  const statuses = useListedStatuses(selected.length > 0);

  useEffect(() => {
    updateFilters({
      backupStatus:
        selected.length > 0 && statuses.value
          ? new BackupStatusFilter(selected, statuses.value)
          : undefined,
    });
  }, [selected, statuses.value, updateFilters]);

  return (
    <Box pb={1} pt={1}>
      <CatalogAutocomplete<BackupStatus, true>
        multiple
        disableCloseOnSelect
        label="Backup status"
        name="backup-status-picker"
        options={[...PICKABLE_BACKUP_STATUSES]}
        value={selected}
        onChange={(_event, value) => setSelected(value)}
        getOptionLabel={status => BACKUP_STATUS_LABELS[status]}
        renderOption={(status, { selected: checked }) => (
          <FormControlLabel
            control={<Checkbox checked={checked} size="small" />}
            label={BACKUP_STATUS_LABELS[status]}
            onClick={event => event.preventDefault()}
          />
        )}
      />
      {statuses.error && (
        <Typography variant="caption" color="error">
          Backup statuses unavailable: {statuses.error.message}
        </Typography>
      )}
    </Box>
  );
};
